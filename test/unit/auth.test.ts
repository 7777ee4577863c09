/** Sign-in and the token lifecycle against the simulator, with extension storage faked in memory. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PasswordSecrets } from '../../src/shared/storage/schema';
import { currentSignIn, signIn, signInWithToken, withSession } from '../../src/shared/auth';
import { leaveSession } from '../../src/background/lifecycle/stop-queue';
import { listAccountServices } from '../../src/shared/service-listing';
import { readLocal, writeLocal } from '../../src/shared/storage/local';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD, MFA_EMAIL } from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { storedEverywhere } from '../stored-data';

const listAll = listAccountServices;
/** The password sign-in as stored. */
const storedSecrets = async () => (await readLocal('secrets')).secrets as PasswordSecrets | undefined;

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
beforeEach(async () => {
  await simulator.reset();
  await fakeBrowser.storage.local.set({ settings: { endpoint: simulator.apiBase, requestTimeoutSec: 5 } });
});
afterAll(() => simulator.close());

const credentials = { developerKey: DEMO_DEVELOPER_KEY, email: DEMO_EMAIL, password: DEMO_PASSWORD };

describe('sign-in', () => {
  test('stores token, expiry and authhash in storage.local only, and never the password', async () => {
    await signIn(credentials);
    const local = await fakeBrowser.storage.local.get(null);
    expect(local.secrets).toMatchObject({
      developerKey: DEMO_DEVELOPER_KEY,
      token: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(local.account).toMatchObject({ email: DEMO_EMAIL, tokenExpiresAt: expect.any(Number) });
    expect(await storedEverywhere()).not.toContain(DEMO_PASSWORD);
    expect(JSON.stringify(await fakeBrowser.storage.sync.get(null))).not.toMatch(/token|authhash|DEVELOPER/i);
  });

  test('a failed sign-in leaves stored state exactly as it was', async () => {
    await signIn(credentials);
    const before = await storedEverywhere();
    await expect(signIn({ ...credentials, password: 'wrong' })).rejects.toMatchObject({
      kind: 'credentials',
    });
    await expect(signIn({ ...credentials, email: MFA_EMAIL })).rejects.toMatchObject({ kind: 'mfa' });
    simulator.addFault({ fault: 'html-500', times: 1 });
    await expect(signIn(credentials)).rejects.toMatchObject({ kind: 'bad-response' });
    expect(await storedEverywhere()).toBe(before);
  });

  test('a pasted session token is checked before it is stored', async () => {
    await expect(
      signInWithToken({ developerKey: DEMO_DEVELOPER_KEY, email: MFA_EMAIL, token: 'f'.repeat(32) }),
    ).rejects.toMatchObject({ kind: 'token' });
    expect((await fakeBrowser.storage.local.get('secrets')).secrets).toBeUndefined();
  });

  test('sign out clears every secret', async () => {
    await signIn(credentials);
    await leaveSession();
    const local = await fakeBrowser.storage.local.get(null);
    expect(local.secrets).toBeUndefined();
    expect(local.account).toBeUndefined();
  });
});

describe('token renewal', () => {
  test('a token past its expiry is renewed with the authhash before the call', async () => {
    await signIn(credentials);
    const { account } = await readLocal('account');
    await writeLocal({ account: { ...account!, tokenExpiresAt: Date.now() - 1000 } });
    await withSession(listAll);
    expect(simulator.log.map((entry) => entry.path)).toEqual([
      'user/login',
      'user/login/authhash',
      'device/list/all',
    ]);
  });

  test.each(['status-false', 'http-401'] as const)(
    'a token the API rejects (%s) is renewed and the call retried once',
    async (style) => {
      simulator.configure({ expiredTokenResponse: style });
      await signIn(credentials);
      simulator.expireTokens();
      const services = await withSession(listAll);
      expect(services.length).toBeGreaterThan(0);
      expect(simulator.log.map((entry) => entry.path)).toEqual([
        'user/login',
        'device/list/all',
        'user/login/authhash',
        'device/list/all',
      ]);
      expect(simulator.log.at(-1)?.headers.token).toBe((await storedSecrets())?.token);
    },
  );

  test('when renewal fails the person is signed out with a reason, and nothing else is called', async () => {
    await signIn(credentials);
    simulator.expireTokens();
    simulator.accounts[0]!.authhash = 'CHANGED';
    await expect(withSession(listAll)).rejects.toMatchObject({ kind: 'signed-out' });
    expect((await readLocal('account')).account?.signedOutReason).toMatch(/sign in again/i);
    expect(await storedSecrets()).toMatchObject({ token: '', authhash: null });
    await expect(withSession(listAll)).rejects.toMatchObject({ kind: 'signed-out' });
    expect(simulator.calls('device/list/all')).toHaveLength(1);
  });

  test('a renewal that cannot reach remote.it keeps the session for a later try', async () => {
    await signIn(credentials);
    simulator.expireTokens();
    simulator.addFault({ fault: 'down', path: 'user/login/authhash', times: 1 });
    await expect(withSession(listAll)).rejects.toMatchObject({ kind: 'network' });
    expect((await readLocal('account')).account?.signedOutReason).toBeUndefined();
    await expect(withSession(listAll)).resolves.toBeTruthy();
  });

  test('a renewal reply without an authhash keeps the one stored, so the next renewal still works', async () => {
    await signIn(credentials);
    const before = await storedSecrets();
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      if (!String(input).endsWith('/user/login/authhash')) return response;
      const body = (await response.json()) as Record<string, unknown>;
      delete body.service_authhash;
      return new Response(JSON.stringify(body), { status: response.status });
    });
    simulator.expireTokens();
    await withSession(listAll);
    expect((await storedSecrets())?.authhash).toBe(before?.authhash);
    simulator.expireTokens();
    await expect(withSession(listAll)).resolves.toBeTruthy();
    expect(simulator.calls('user/login/authhash')).toHaveLength(2);
  });

  test("a sign-in read before the person signed in again never borrows the new sign-in's token", async () => {
    await signIn(credentials);
    const { account } = await readLocal('account');
    await writeLocal({ account: { ...account!, tokenExpiresAt: Date.now() - 1000 } });
    const earlier = await currentSignIn();
    await leaveSession();
    await signIn(credentials);
    const newToken = (await storedSecrets())?.token;
    await expect(earlier.run(listAll)).rejects.toMatchObject({ kind: 'signed-out' });
    expect(simulator.calls('device/list/all').map((call) => call.headers.token)).not.toContain(newToken);
  });

  test('concurrent calls that find the token stale share one renewal', async () => {
    await signIn(credentials);
    simulator.expireTokens();
    await Promise.all([withSession(listAll), withSession(listAll), withSession(listAll)]);
    expect(simulator.calls('user/login/authhash')).toHaveLength(1);
  });

  test('without a session the person is told to sign in', async () => {
    await expect(withSession(listAll)).rejects.toMatchObject({
      kind: 'signed-out',
      message: expect.stringMatching(/Sign in/),
    });
    expect(simulator.log).toHaveLength(0);
  });
});
