/**
 * The options page's sign-in, against the simulator over HTTP: both ways offered, the access-key form's
 * labels, empty fields named before anything is sent, a two-factor account sent from the password form to
 * the access-key form, and the secret kept in storage.local only.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { fireEvent, screen, within } from '@testing-library/preact';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
  MFA_EMAIL,
} from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { renderOptions } from './pages';
import { storedEverywhere } from '../stored-data';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());
beforeEach(async () => {
  simulator.log.length = 0;
  await fakeBrowser.storage.local.set({
    settings: { endpoint: simulator.apiBase, requestTimeoutSec: 5 },
  });
});

function account() {
  return within(screen.getByRole('region', { name: /Sign in to remote\.it|Account/ }));
}

function type(label: string, value: string) {
  fireEvent.input(account().getByLabelText(label), { target: { value } });
}

function signIn() {
  fireEvent.click(account().getByRole('button', { name: 'Sign in' }));
}

/** The message a field's aria-describedby points at, from its own error line. */
function errorOf(label: string): string {
  const field = account().getByLabelText(label);
  expect(field.getAttribute('aria-invalid')).toBe('true');
  const ids = (field.getAttribute('aria-describedby') ?? '').split(/\s+/);
  const error = ids.map((id) => document.getElementById(id)).find((node) => node?.id.endsWith('-error'));
  return error?.textContent ?? '';
}

describe('signed out, the options page offers both ways to sign in', () => {
  test('as two radio buttons, the access key chosen first', async () => {
    await renderOptions();
    const group = within(account().getByRole('group', { name: 'Sign in with' }));
    const radios = group.getAllByRole('radio');
    expect(radios.map((radio) => radio.closest('label')?.textContent?.trim())).toEqual([
      'Access key',
      'Developer key and password',
    ]);
    expect(group.getByRole('radio', { name: 'Access key' })).toHaveProperty('checked', true);
    expect(group.getByRole('radio', { name: 'Developer key and password' })).toHaveProperty('checked', false);
  });

  test("the access-key form asks for the key's ID and its secret, and says where to make one", async () => {
    await renderOptions();
    const keyId = account().getByLabelText('Access key ID');
    const secret = account().getByLabelText('Secret access key');
    expect(keyId.getAttribute('type') ?? 'text').toBe('text');
    expect(secret.getAttribute('type')).toBe('password');
    expect(account().getByText(/Account → Access Keys → Create access key/)).toBeTruthy();
    expect(account().getByText(/shows it once.*Kept on this computer only/)).toBeTruthy();
    // The password form's fields are not shown beside it.
    expect(account().queryByLabelText('Password')).toBeNull();
    expect(account().queryByLabelText('Developer key')).toBeNull();

    fireEvent.click(account().getByRole('radio', { name: 'Developer key and password' }));
    expect(account().getByLabelText('Developer key')).toBeTruthy();
    expect(account().getByLabelText('Email')).toBeTruthy();
    expect(account().getByLabelText('Password').getAttribute('type')).toBe('password');
    expect(account().queryByLabelText('Access key ID')).toBeNull();
  });

  test('empty fields are named next to each field, and nothing is sent', async () => {
    await renderOptions();
    signIn();
    expect(errorOf('Access key ID')).toBe('Enter the access key ID.');
    expect(errorOf('Secret access key')).toBe('Paste the secret access key.');

    fireEvent.click(account().getByRole('radio', { name: 'Developer key and password' }));
    signIn();
    expect(errorOf('Developer key')).toBe('Enter your developer key.');
    expect(errorOf('Email')).toBe('Enter the email you sign in to remote.it with.');
    expect(errorOf('Password')).toBe('Enter your password.');
    // Let any request that was wrongly started reach the simulator.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(simulator.log).toEqual([]);
  });

  test('a two-factor refusal of the password switches to the access-key form and says why', async () => {
    await renderOptions();
    fireEvent.click(account().getByRole('radio', { name: 'Developer key and password' }));
    type('Developer key', DEMO_DEVELOPER_KEY);
    type('Email', MFA_EMAIL);
    type('Password', DEMO_PASSWORD);
    signIn();
    const alert = await account().findByRole('alert');
    expect(alert.textContent).toBe(
      'This account uses two-factor authentication, which password sign-in cannot complete. Sign in with an access key instead.',
    );
    expect(account().getByRole('radio', { name: 'Access key' })).toHaveProperty('checked', true);
    expect(account().getByLabelText('Access key ID')).toBeTruthy();
    expect(account().queryByLabelText('Password')).toBeNull();
    expect(simulator.calls('user/login')).toHaveLength(1);
    expect(await storedEverywhere()).not.toContain(DEMO_PASSWORD);
    expect((await fakeBrowser.storage.local.get('secrets')).secrets).toBeUndefined();
  });

  test('a wrong secret is refused next to the secret field, and nothing is stored', async () => {
    await renderOptions();
    type('Access key ID', DEMO_ACCESS_KEY_ID);
    // Well-formed base64, not the key's secret.
    type('Secret access key', Buffer.alloc(32, 7).toString('base64'));
    signIn();
    await account().findByText(/refused the access key/);
    expect(errorOf('Secret access key')).toBe(
      "remote.it refused the access key (check the key id, the secret and your computer's clock).",
    );
    expect(simulator.calls('graphql:login').map((entry) => entry.status)).toEqual([403]);
    const local = await fakeBrowser.storage.local.get(['secrets', 'account']);
    expect(local).toEqual({});
  });

  test('an access key signs in; its secret is in storage.local only, never in storage.sync', async () => {
    await renderOptions();
    type('Access key ID', DEMO_ACCESS_KEY_ID);
    type('Secret access key', DEMO_ACCESS_KEY_SECRET);
    signIn();
    await screen.findByText(/with an access key\./);
    expect(screen.getByText(DEMO_EMAIL)).toBeTruthy();
    expect(simulator.calls('graphql:login')[0]?.headers.authorization).toMatch(
      new RegExp(`^Signature keyId="${DEMO_ACCESS_KEY_ID}"`),
    );
    const { secrets } = await fakeBrowser.storage.local.get('secrets');
    expect(secrets).toMatchObject({
      method: 'access-key',
      keyId: DEMO_ACCESS_KEY_ID,
      secret: DEMO_ACCESS_KEY_SECRET,
    });
    const synced = JSON.stringify(await fakeBrowser.storage.sync.get(null));
    expect(synced).not.toContain(DEMO_ACCESS_KEY_SECRET);
    expect(synced).not.toContain(DEMO_ACCESS_KEY_ID);
    // The field is emptied once it is stored.
    expect(screen.queryByLabelText('Secret access key')).toBeNull();
  });
});
