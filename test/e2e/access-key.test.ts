/**
 * Signed in with an access key: every call is GraphQL signed in the worker or the options page, its Date set
 * by a session rule (fetch drops it). Import pages through 5,000 services; connect, copy, stop, Stop all; a
 * wrong secret and a skewed clock each say so; a connect whose reply was lost is found and stopped; another
 * app's session on the account is never touched; remote.it's X-R3-Warning becomes a notice.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { DEMO_ACCESS_KEY_ID, DEMO_EMAIL } from '../simulator/demo-data';
import type { SimConnection } from '../simulator/server';
import { extensionEnvironment, type Environment } from './fixtures';

const KEY_REFUSED =
  "remote.it refused the access key (check the key id, the secret and your computer's clock).";

function graphqlCalls(env: Environment, operation: string) {
  return env.simulator.calls(`graphql:${operation}`);
}

describe('5,000 services', () => {
  // 1,250 devices of four services: two pages of at most 1,000 devices.
  const env = extensionEnvironment({ scale: 5000 });
  const graphql = (operation: string) => graphqlCalls(env, operation);

  test('sign in with an access key, import 5,000 services through two pages, connect, copy and stop', async () => {
    const { extension, simulator } = env;
    const options = await extension.signInWithAccessKey();
    const login = graphql('login')[0]!;
    // The Date that reached remote.it is the one that was signed, within the signature's clock limit.
    expect(login.headers.date).toMatch(/GMT$/);
    expect(Math.abs(Date.parse(login.headers.date!) - Date.now())).toBeLessThan(60_000);
    expect(login.headers.authorization).toMatch(
      /^Signature keyId="DEMOACCESSKEY0123456",algorithm="hmac-sha256"/,
    );
    expect(login.status).toBe(200);

    await extension.importAll(options);
    expect(graphql('devices').length).toBeGreaterThanOrEqual(2);
    await options.close();

    const popup = await extension.openPopup();
    await popup.getByRole('searchbox').fill('Device 0001 - SSH');
    await popup.getByRole('button', { name: 'Connect Device 0001 - SSH' }).click();
    await popup.getByText('Copied to the clipboard:').waitFor();
    const [live] = simulator.liveConnections();
    expect(await extension.readClipboard()).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
    expect(graphql('connect')[0]!.status).toBe(200);
    expect(simulator.calls('device/connect')).toEqual([]);
  });
});

describe('only an access key, the demo account', () => {
  const env = extensionEnvironment({ requestTimeoutSec: 10 });
  const graphql = (operation: string) => graphqlCalls(env, operation);

  const GARAGE_SSH = '80:00:00:00:00:01:2B:01';
  const GARAGE_WEB = '80:00:00:00:00:01:2B:02';
  /** Where another app of the account (the desktop app) holds a connection through every test. */
  const OFFICE_VNC = '80:00:00:00:00:02:2B:02';

  let foreign: SimConnection;
  /** The connections this extension made, live on the simulator. */
  const ours = () => env.simulator.liveConnections().filter((connection) => connection !== foreign);
  /** The connection ids the extension disconnected, in order. */
  const disconnected = () =>
    graphql('disconnect')
      .filter((entry) => entry.status === 200)
      .map((entry) => (entry.body as { variables: { connectionId: string } }).variables.connectionId);

  beforeEach(async () => {
    foreign = await env.simulator.openForeignSession(OFFICE_VNC);
  });
  // Runs before the environment's own clean-up (after-hooks run in reverse), which stops every connection.
  afterEach(async () => {
    expect(foreign.endedAt).toBeNull();
    expect(env.simulator.liveConnections()).toContain(foreign);
    expect(JSON.stringify(graphql('disconnect').map((entry) => entry.body))).not.toContain(
      foreign.connectionId,
    );
    expect(JSON.stringify(await env.extension.storage())).not.toContain(foreign.connectionId);
    await env.simulator.connectionBook.end(foreign, 'stopped');
  });

  describe('signing in', () => {
    afterEach(async () => {
      await env.extension.control.evaluate(() => chrome.storage.local.remove(['secrets', 'account']));
    });

    test('a wrong secret: the refusal next to the secret field, nothing stored', async () => {
      const { extension } = env;
      const page = await extension.openOptions();
      await page.getByLabel('Access key', { exact: true }).check();
      await page.getByLabel('Access key ID').fill(DEMO_ACCESS_KEY_ID);
      // Well-formed base64 of the right length, only not this key's secret.
      await page.getByLabel('Secret access key').fill(Buffer.alloc(32, 7).toString('base64'));
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const error = page.locator('#secret-error');
      await expect.poll(() => error.innerText()).toBe(KEY_REFUSED);
      expect(await error.getAttribute('role')).toBe('alert');
      expect(await page.getByLabel('Secret access key').getAttribute('aria-invalid')).toBe('true');
      expect(graphql('login').map((entry) => entry.status)).toEqual([403]);
      const local = await extension.storage();
      expect(local.secrets).toBeUndefined();
      expect(local.account).toBeUndefined();
      await page.getByRole('heading', { name: 'Sign in to remote.it' }).waitFor();
    });

    test("a computer clock 10 minutes behind remote.it's: refused once, learned, signed again, signed in", async () => {
      env.simulator.configure({ clockOffsetMs: 10 * 60_000 });
      try {
        const page = await env.extension.signInWithAccessKey();
        await page.getByText(`Signed in as ${DEMO_EMAIL} with an access key.`).waitFor();
        const logins = graphql('login');
        expect(logins.map((entry) => entry.status)).toEqual([401, 200]);
        // The second signature carries the server's time, not this computer's.
        const signedAt = Date.parse(logins[1]!.headers.date!);
        expect(Math.abs(signedAt - (Date.now() + 10 * 60_000))).toBeLessThan(60_000);
        // Once learned, the clock is right the first time: the listing is never refused.
        await page.getByRole('button', { name: 'Import from your account' }).click();
        await page.getByText('Your account has 7 services you have not saved yet.').waitFor();
        expect(graphql('devices').map((entry) => entry.status)).toEqual([200]);
        await page.getByRole('button', { name: 'Cancel' }).click();
      } finally {
        env.simulator.configure({ clockOffsetMs: 0 });
      }
    });
  });

  describe('signed in', () => {
    beforeAll(async () => {
      const options = await env.extension.signInWithAccessKey();
      await env.extension.importAll(options);
      await options.close();
    });

    test('a web service opens in a tab; closing the tab disconnects that connection', async () => {
      const popup = await env.extension.openPopup();
      const tab = await env.extension.connectInTab(popup, 'Garage Pi - Web UI');
      expect(await tab.title()).toBe('Garage Pi - Web UI');
      const [live] = ours();
      expect(live!.serviceId).toBe(GARAGE_WEB);
      expect(new URL(tab.url()).hostname).toMatch(/\.p18\.localhost$/);
      await popup.getByText('Active connections (1)').waitFor();

      await tab.close();
      await expect.poll(disconnected).toEqual([live!.connectionId]);
      expect(graphql('disconnect')[0]!.body).toMatchObject({
        variables: { serviceId: GARAGE_WEB, connectionId: live!.connectionId },
      });
      expect(ours()).toEqual([]);
      expect(live!.listener.closed).toBe(true);
      // Nothing went to v27.
      expect(env.simulator.log.filter((entry) => !entry.path.startsWith('graphql:'))).toEqual([]);
    });

    test('a port service copies its address; Stop ends it with a disconnect', async () => {
      const popup = await env.extension.openPopup();
      await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
      await popup.getByText('Copied to the clipboard:').waitFor();
      const [live] = ours();
      expect(live!.serviceId).toBe(GARAGE_SSH);
      expect(await env.extension.readClipboard()).toBe(`ssh -p ${live!.listener.port} 127.0.0.1`);
      await popup.getByRole('button', { name: 'Copy address' }).click();
      await expect.poll(() => env.extension.readClipboard()).toBe(`127.0.0.1:${live!.listener.port}`);
      expect(graphql('connect')[0]!.body).toMatchObject({
        variables: { serviceId: GARAGE_SSH, hostIP: '255.255.255.255' },
      });

      await popup.getByRole('button', { name: 'Stop Garage Pi - SSH' }).click();
      await expect.poll(disconnected).toEqual([live!.connectionId]);
      expect(ours()).toEqual([]);
    });

    test('Stop all in the popup disconnects every connection the extension made, and only those', async () => {
      const popup = await env.extension.openPopup();
      await popup.getByRole('button', { name: 'Connect Office PC - RDP' }).click();
      await popup.getByText('Copied to the clipboard:').waitFor();
      await popup.getByRole('button', { name: 'Connect Home NAS - Backup TCP' }).click();
      await env.extension.connectInTab(popup, 'Home NAS - Admin');
      await popup.bringToFront();
      await popup.getByText('Active connections (3)').waitFor();
      const made = ours().map((connection) => connection.connectionId);
      expect(made).toHaveLength(3);

      await popup.getByRole('button', { name: 'Stop all' }).click();
      await expect.poll(() => disconnected().sort()).toEqual([...made].sort());
      expect(ours()).toEqual([]);
      await popup.getByText('Active connections').waitFor({ state: 'detached' });
    });

    /**
     * remote.it makes the connection, and its reply takes `ms` more to leave: a worker stopped meanwhile
     * never reads it. (A "slow" fault will not do: it delays before the work, and the simulator, like a PHP
     * backend, abandons the work of a client that hung up, as a stopped worker's request does.)
     */
    function holdConnectReplies(ms: number): () => void {
      const book = env.simulator.connectionBook;
      const open = book.open;
      book.open = async (request) => {
        const made = await open.call(book, request);
        await new Promise((resolve) => setTimeout(resolve, ms));
        return made;
      };
      return () => {
        book.open = open;
      };
    }

    test('a connect whose reply was lost with the worker is found through sessions and stopped', async () => {
      const { extension } = env;
      const release = holdConnectReplies(3_000);
      try {
        const popup = await extension.openPopup();
        await popup.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
        await expect.poll(() => ours().length).toBe(1);
        await popup.close();
        // The connection is made; the worker that would have read the reply is gone.
        await extension.stopWorker();
      } finally {
        release();
      }
      const [lost] = ours();
      expect(lost!.serviceId).toBe(GARAGE_SSH);
      expect(graphql('connect')).toHaveLength(1);
      expect(JSON.stringify(await extension.storage())).not.toContain(lost!.connectionId);

      // The next event starts a worker, which lists the sessions and stops what its predecessor made.
      await extension.request({ type: 'wake-up' }).catch(() => undefined);
      await expect.poll(disconnected, { timeout: 45_000 }).toEqual([lost!.connectionId]);
      expect(ours()).toEqual([]);
      expect(graphql('sessions').length).toBeGreaterThanOrEqual(1);
      // Nothing more to look for, and nothing recorded for a connection that has ended.
      await expect.poll(async () => (await extension.storage()).lostConnects).toEqual({});
      expect((await extension.storage()).connections).toEqual({});
    });

    test("remote.it's X-R3-Warning is shown as a notice in the options page", async () => {
      const warning = 'This client uses an API version that will be retired on 2027-01-01.';
      env.simulator.configure({ warningHeader: warning });
      try {
        const options = await env.extension.openOptions();
        await options.getByRole('button', { name: 'Import from your account' }).click();
        await options
          .getByRole('alert')
          .filter({ hasText: `remote.it says: ${warning}` })
          .waitFor();
        expect(graphql('devices').at(-1)!.status).toBe(200);
      } finally {
        env.simulator.configure({ warningHeader: undefined });
      }
    });
  });
});
