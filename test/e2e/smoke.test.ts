import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/server';
import { launchExtension, type Extension } from './harness';

let simulator: Simulator;
let extension: Extension;

beforeAll(async () => {
  simulator = await startSimulator();
  extension = await launchExtension(simulator);
});
afterAll(async () => {
  await extension?.close();
  await simulator?.close();
});

test('Chromium loads the build with no errors or warnings', async () => {
  const page = await extension.context.newPage();
  await page.goto('chrome://extensions');
  const info = await page.evaluate(() =>
    (
      chrome as unknown as { developerPrivate: { getExtensionsInfo(): Promise<unknown[]> } }
    ).developerPrivate.getExtensionsInfo(),
  );
  console.log(JSON.stringify(info, null, 1).slice(0, 3000));
  await page.close();
});

test('sign in, import, popup lists services', async () => {
  const options = await extension.signIn();
  await extension.importAll(options);
  const popup = await extension.openPopup();
  await expect.poll(() => popup.getByRole('button', { name: /^Connect / }).count()).toBeGreaterThan(3);
  await popup.screenshot({ path: '/tmp/popup.png' });
  await options.screenshot({ path: '/tmp/options.png', fullPage: true });
});
