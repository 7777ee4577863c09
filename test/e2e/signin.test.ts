/** Signing in from the options page: success, each kind of refusal, two-factor accounts, renewal, sign-out. */
import { afterEach, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
  MFA_ACCESS_KEY_ID,
  MFA_ACCESS_KEY_SECRET,
  MFA_EMAIL,
} from '../simulator/demo-data';
import { GARAGE_SSH } from '../fixtures';
import { extensionEnvironment } from './fixtures';

const env = extensionEnvironment();
afterEach(async () => {
  await env.extension.resetConnections();
  await env.extension.control.evaluate(() => chrome.storage.local.remove(['secrets', 'account']));
});

async function fillSignIn(page: Page, values: { developerKey?: string; email?: string; secret?: string }) {
  await page.getByLabel('Developer key and password').check();
  await page.getByLabel('Developer key', { exact: true }).fill(values.developerKey ?? DEMO_DEVELOPER_KEY);
  await page.getByLabel('Email').fill(values.email ?? DEMO_EMAIL);
  await page.getByLabel(/^(Password|Session token)$/).fill(values.secret ?? DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function storedSecrets(): Promise<unknown> {
  return (await env.extension.storage()).secrets;
}

describe('sign-in', () => {
  test('with the right credentials: who is signed in and until when; the password is stored nowhere', async () => {
    const page = await env.extension.openOptions();
    await fillSignIn(page, {});
    await page.getByText(`Signed in as ${DEMO_EMAIL}.`).waitFor();
    await page.getByText(/holds until .* renews itself without your password/).waitFor();
    const everything = JSON.stringify([await env.extension.storage(), await env.extension.storage('sync')]);
    expect(everything).not.toContain(DEMO_PASSWORD);
    expect(JSON.stringify(await env.extension.storage('sync'))).not.toMatch(/token|authhash/i);
    expect(env.simulator.calls('user/login')[0]?.headers.developerkey).toBe(DEMO_DEVELOPER_KEY);
  });

  test('a wrong password: the API reason next to the password, nothing stored', async () => {
    const page = await env.extension.openOptions();
    await fillSignIn(page, { secret: 'wrong-password' });
    const error = page.locator('#secret-error');
    await expect.poll(() => error.innerText()).toMatch(/\[0102\] The username or password is invalid/);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await storedSecrets()).toBeUndefined();
  });

  test('a bad developer key: the reason next to the developer key', async () => {
    const page = await env.extension.openOptions();
    await fillSignIn(page, { developerKey: 'NOT-A-KEY' });
    await expect
      .poll(() => page.locator('#developer-key-error').innerText())
      .toMatch(/api key failed validation/);
    expect(await storedSecrets()).toBeUndefined();
  });

  test('empty fields are named before anything is sent, for either way of signing in', async () => {
    const page = await env.extension.openOptions();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#access-key-id-error').waitFor();
    expect(await page.locator('#secret-error').innerText()).toBe('Paste the secret access key.');
    await page.getByLabel('Developer key and password').check();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#developer-key-error').waitFor();
    expect(await page.locator('#secret-error').innerText()).toBe('Enter your password.');
    expect(env.simulator.log).toHaveLength(0);
  });

  test('a two-factor account is told to use an access key, and signs in with one', async () => {
    const page = await env.extension.openOptions();
    await fillSignIn(page, { email: MFA_EMAIL });
    await page
      .getByRole('alert')
      .filter({ hasText: /two-factor authentication.*access key/ })
      .waitFor();
    await page.getByLabel('Access key ID').fill(MFA_ACCESS_KEY_ID);
    await page.getByLabel('Secret access key').fill(MFA_ACCESS_KEY_SECRET);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(`Signed in as ${MFA_EMAIL} with an access key.`).waitFor();
    expect(JSON.stringify(await env.extension.storage('sync'))).not.toContain(MFA_ACCESS_KEY_SECRET);
  });

  test('a session token pasted instead of the password signs in', async () => {
    const page = await env.extension.openOptions();
    await page.getByLabel('Developer key and password').check();
    await page.getByRole('button', { name: 'Paste a session token instead' }).click();
    const account = env.simulator.accounts.find((candidate) => candidate.email === MFA_EMAIL)!;
    const token = await fetch(`${env.simulator.apiBase}/user/login/authhash`, {
      method: 'POST',
      headers: { developerkey: DEMO_DEVELOPER_KEY },
      body: JSON.stringify({ username: MFA_EMAIL, authhash: account.authhash }),
    }).then(async (response) => ((await response.json()) as { token: string }).token);
    await fillSignIn(page, { email: MFA_EMAIL, secret: token });
    await page.getByText(`Signed in as ${MFA_EMAIL}.`).waitFor();
    await page.getByText(/pasted session token/).waitFor();
  });

  test('remote.it unreachable or answering with an HTML page: a message, nothing stored', async () => {
    const page = await env.extension.openOptions();
    // Down until cleared: Chromium silently retries a request whose reused connection was reset.
    env.simulator.addFault({ fault: 'down' });
    await fillSignIn(page, {});
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Cannot reach remote\.it/);
    env.simulator.clearFaults();
    env.simulator.addFault({ fault: 'html-500' });
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Slim Application Error/);
    expect(await storedSecrets()).toBeUndefined();
  });
});

describe('the session', () => {
  test('an expired token is renewed silently and the connect goes through', async () => {
    await (await env.extension.signIn()).close();
    await env.extension.setStorage({ catalogFallback: JSON.stringify([GARAGE_SSH]) });
    env.simulator.expireTokens();
    const popup = await env.extension.openPopup();
    await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
    await popup.getByText('Copied to the clipboard:').waitFor();
    expect(env.simulator.log.map((entry) => entry.path)).toEqual([
      'user/login',
      'device/connect',
      'user/login/authhash',
      'device/connect',
    ]);
    await env.extension.control.evaluate(() => chrome.storage.local.remove('catalogFallback'));
  });

  test('when renewal fails the popup asks to sign in again, with the reason', async () => {
    await (await env.extension.signIn()).close();
    await env.extension.setStorage({ catalogFallback: JSON.stringify([GARAGE_SSH]) });
    env.simulator.expireTokens();
    const authhash = env.simulator.accounts[0]!.authhash;
    env.simulator.accounts[0]!.authhash = 'REVOKED';
    const popup = await env.extension.openPopup();
    await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
    await expect.poll(() => popup.getByRole('alert').first().innerText()).toMatch(/session has expired/);
    await popup.getByRole('button', { name: 'Sign in' }).waitFor();
    // Signing in again only needs the password: the developer key and email are offered again.
    const options = await env.extension.openOptions();
    expect(await options.getByLabel('Developer key', { exact: true }).inputValue()).toBe(DEMO_DEVELOPER_KEY);
    expect(await options.getByLabel('Email').inputValue()).toBe(DEMO_EMAIL);
    expect(await options.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    env.simulator.accounts[0]!.authhash = authhash;
    await env.extension.control.evaluate(() => chrome.storage.local.remove('catalogFallback'));
  });

  test('sign out stops every connection, then clears every secret', async () => {
    const page = await env.extension.signIn();
    await env.extension.setStorage({ catalogFallback: JSON.stringify([GARAGE_SSH]) });
    const popup = await env.extension.openPopup();
    await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
    await popup.getByText('Copied to the clipboard:').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to remote.it' }).waitFor();
    const local = await env.extension.storage();
    expect(local.secrets).toBeUndefined();
    expect(local.account).toBeUndefined();
    expect(local.connections).toEqual({});
    expect(env.simulator.calls('device/connect/stop').map((entry) => entry.status)).toEqual([200]);
    expect(env.simulator.liveConnections()).toHaveLength(0);
    await env.extension.control.evaluate(() => chrome.storage.local.remove('catalogFallback'));
  });
});
