/** The production build as Chromium's extensions page sees it. */
import { expect, test } from 'vitest';
import { extensionEnvironment } from './fixtures';

const env = extensionEnvironment();

interface ExtensionInfo {
  id: string;
  name: string;
  state: string;
  manifestErrors: unknown[];
  installWarnings: unknown[];
  runtimeErrors: unknown[];
  runtimeWarnings: unknown[];
  permissions: { simplePermissions: { message: string }[] };
}

test('Chromium loads the build enabled, with no errors or warnings on the extensions page', async () => {
  // Exercise every page and the worker first, so runtime errors would have a chance to appear.
  const options = await env.extension.signIn();
  await env.extension.importAll(options);
  const popup = await env.extension.openPopup();
  await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
  await popup.getByText('Copied to the clipboard:').waitFor();

  const page = await env.extension.context.newPage();
  await page.goto('chrome://extensions');
  const all = await page.evaluate(() =>
    (
      chrome as unknown as { developerPrivate: { getExtensionsInfo(): Promise<unknown[]> } }
    ).developerPrivate.getExtensionsInfo(),
  );
  const ours = (all as ExtensionInfo[]).find((info) => info.id === env.extension.id)!;
  expect(ours).toMatchObject({ name: 'remote.it Connect', state: 'ENABLED' });
  expect(ours.manifestErrors).toEqual([]);
  expect(ours.installWarnings).toEqual([]);
  expect(ours.runtimeErrors).toEqual([]);
  expect(ours.runtimeWarnings).toEqual([]);
  // The permission warnings a person sees at install (the README explains them).
  expect(ours.permissions.simplePermissions.map((permission) => permission.message)).toEqual([
    'Display notifications',
    'Modify data you copy and paste',
  ]);
});
