/**
 * The Firefox build (MV3 background scripts) in Firefox ESR, driven over WebDriver BiDi: sign-in, import,
 * copy from the background page, a tab whose closing stops the connection after the event page slept, and a
 * second tab on the same proxy that holds it until it navigates elsewhere.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { clickButton, launchFirefoxExtension, type FirefoxExtension } from './firefox-harness';

let simulator: Simulator;
let extension: FirefoxExtension;

beforeAll(async () => {
  simulator = await startSimulator();
  extension = await launchFirefoxExtension();
});
afterAll(async () => {
  await extension?.close();
  await simulator?.close();
});

test('in Firefox: sign in, import, copy an SSH command, open a web service and stop it when its tab closes', async () => {
  const { firefox } = extension;
  const options = await extension.openOptionsAt(simulator);
  await (await options.waitForSelector('::-p-text(Developer key and password)'))!.click();
  await options.type('#developer-key', DEMO_DEVELOPER_KEY);
  await options.type('#email', DEMO_EMAIL);
  await options.type('#secret', DEMO_PASSWORD);
  await clickButton(options, /^Sign in$/);
  await options.waitForFunction(() => document.body.innerText.includes(`Signed in as`), { timeout: 10_000 });
  await clickButton(options, /^Import from your account$/);
  await clickButton(options, /^Save all/);
  await options.waitForFunction(() => document.body.innerText.includes('You now have 7 services'), {
    timeout: 10_000,
  });

  const popup = await extension.openPopup();
  await clickButton(popup, /^Connect Garage Pi - SSH/);
  await popup.waitForFunction(() => document.body.innerText.includes('Copied to the clipboard'), {
    timeout: 10_000,
  });
  const [ssh] = simulator.liveConnections();
  expect(await popup.$eval('code', (element) => element.textContent)).toBe(
    `ssh -p ${ssh!.listener.port} 127.0.0.1`,
  );

  const opened = extension.nextPage();
  await clickButton(popup, /^Connect Garage Pi - Web UI/);
  const tab = await opened;
  await tab.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  const web = simulator.liveConnections().find((connection) => connection.listener.kind === 'reverse')!;

  await popup.close();
  await options.close();
  // With no extension page open, the event page is unloaded after its idle timeout.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await tab.close();
  await expect
    .poll(() => simulator.calls('device/connect/stop').map((entry) => entry.body), { timeout: 15_000 })
    .toEqual([{ deviceaddress: '80:00:00:00:00:01:2B:02', connectionid: web.connectionId }]);
  expect(web.listener.closed).toBe(true);

  // A second tab on the same proxy keeps the connection after the first closes; taking that tab to
  // another site ends it after the grace.
  const again = await extension.openPopup();
  const reopened = extension.nextPage();
  await clickButton(again, /^Connect Garage Pi - Web UI/);
  const first = await reopened;
  await first.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  await again.close();
  const second = await firefox.newPage();
  await second.goto(first.url());
  await first.close();
  const liveWeb = () =>
    simulator.liveConnections().filter((connection) => connection.listener.kind === 'reverse');
  await new Promise((resolve) => setTimeout(resolve, 7000));
  expect(simulator.calls('device/connect/stop')).toHaveLength(1);
  expect(liveWeb()).toHaveLength(1);
  await second.goto(`${simulator.url}/__sim/connections`);
  await expect.poll(() => liveWeb().length, { timeout: 15_000 }).toBe(0);
  await second.close();
});
