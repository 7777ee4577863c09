/**
 * What the Chromium tests check in the popup and the options page, once more in Firefox: sign-in errors next
 * to their fields, search, Stop from the popup. (Sign-in, import, connect web and port, Stop all and the tab
 * cases are in firefox.test.ts and firefox-access-key.test.ts.)
 */
import { beforeAll, expect, test } from 'vitest';
import type { Page } from 'puppeteer-core';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from '../simulator/demo-data';
import { clickButton, firefoxEnvironment, waitForText } from './firefox-harness';

const env = firefoxEnvironment();

let options: Page;

beforeAll(async () => {
  options = await env.extension.openOptionsAt(env.simulator);
  await (await options.waitForSelector('::-p-text(Developer key and password)'))!.click();
});

async function signIn(values: { developerKey?: string; password?: string }): Promise<void> {
  for (const [selector, value] of [
    ['#developer-key', values.developerKey ?? DEMO_DEVELOPER_KEY],
    ['#email', DEMO_EMAIL],
    ['#secret', values.password ?? DEMO_PASSWORD],
  ] as const) {
    await options.$eval(selector, (input) => ((input as HTMLInputElement).value = ''));
    if (value) await options.type(selector, value);
  }
  await clickButton(options, /^Sign in$/);
}

const fieldError = (id: string) =>
  options
    .waitForSelector(`#${id}-error`, { timeout: 10_000 })
    .then((error) => error!.evaluate((node) => node.textContent));

test('in Firefox: sign-in errors are shown next to their fields, then sign-in and import work', async () => {
  await signIn({ developerKey: '', password: '' });
  expect(await fieldError('developer-key')).toBe('Enter your developer key.');
  expect(await fieldError('secret')).toBe('Enter your password.');
  expect(env.simulator.log).toEqual([]);

  await signIn({ password: 'wrong-password' });
  expect(await fieldError('secret')).toMatch(/did not accept the email or password/);
  expect(await options.$eval('#secret', (input) => input.getAttribute('aria-invalid'))).toBe('true');

  await signIn({ developerKey: 'NOT-A-KEY' });
  expect(await fieldError('developer-key')).toMatch(/rejected the developer key/);

  await signIn({});
  await waitForText(options, `Signed in as ${DEMO_EMAIL}.`);
  await clickButton(options, /^Import from your account$/);
  await clickButton(options, /^Save all/);
  await waitForText(options, 'You now have 7 services');
});

test('in Firefox: typing filters the popup list; Stop in the popup ends a connection', async () => {
  const popup = await env.extension.openPopup();
  await popup.type('input[type=search]', 'office');
  await popup.waitForFunction(
    () =>
      [...document.querySelectorAll('.services .name')].map((name) => name.textContent).join('|') ===
      'Office PC - RDP|Office PC - VNC',
    { timeout: 10_000 },
  );
  await clickButton(popup, /^Connect Office PC - VNC/);
  await waitForText(popup, 'Active connections (1)');
  const [live] = env.simulator.liveConnections();
  await popup.click('button[aria-label="Stop Office PC - VNC"]');
  await expect
    .poll(() => env.simulator.calls('device/connect/stop').map((entry) => entry.body), { timeout: 10_000 })
    .toEqual([{ deviceaddress: live!.serviceId, connectionid: live!.connectionId }]);
  expect(env.simulator.liveConnections()).toEqual([]);
  await popup.close();
});
