/** The connection lifecycle with an in-memory browser and the simulator over HTTP. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { signIn } from '../../src/shared/auth';
import type { SavedService } from '../../src/shared/catalog';
import { readLocal, writeLocal } from '../../src/shared/storage/local';
import { writeCatalog } from '../../src/shared/storage/choices';
import { type ConnectionRecord } from '../../src/shared/storage/schema';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { GARAGE_SSH, GARAGE_WEB } from '../fixtures';

const copied = vi.hoisted(() => [] as string[]);
vi.mock('../../src/background/clipboard', () => ({
  copyText: async (text: string) => {
    copied.push(text);
    return true;
  },
}));

type Lifecycle = typeof import('../../src/background/connections');
let lifecycle: Lifecycle;
let simulator: Simulator;

const SSH: SavedService = { ...GARAGE_SSH, sshUser: 'pi' };
const WEB = GARAGE_WEB;

/** A fresh module instance, as when Chrome starts the service worker again. */
async function restartWorker(): Promise<Lifecycle> {
  vi.resetModules();
  lifecycle = await import('../../src/background/connections');
  return lifecycle;
}

async function records(): Promise<ConnectionRecord[]> {
  return Object.values((await readLocal('connections')).connections);
}

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.close());
beforeEach(async () => {
  await simulator.reset();
  copied.length = 0;
  await writeLocal({ settings: { endpoint: simulator.apiBase, requestTimeoutSec: 5 } });
  await signIn({ developerKey: DEMO_DEVELOPER_KEY, email: DEMO_EMAIL, password: DEMO_PASSWORD });
  await writeCatalog([SSH, WEB]);
  await restartWorker();
  simulator.log.length = 0;
});

describe('port proxies', () => {
  test('connect copies the SSH command for the live listener and records the connection', async () => {
    const outcome = await lifecycle.connectService(SSH.id);
    const [live] = simulator.liveConnections();
    expect(outcome).toMatchObject({
      action: 'copied',
      reused: false,
      copied: `ssh -p ${live!.listener.port} pi@127.0.0.1`,
    });
    expect(copied).toEqual([outcome.action === 'copied' && outcome.copied]);
    const [record] = await records();
    expect(record).toMatchObject({
      id: live!.connectionId,
      serviceId: SSH.id,
      mode: 'latching',
      hostip: '255.255.255.255',
      phase: 'open',
      reverseProxy: false,
    });
    expect(record!.expiresAt).toBeGreaterThan(Date.now() + 28_000_000);
    expect(await fakeBrowser.alarms.get(`connection:${record!.id}`)).toBeTruthy();
  });

  test('a double click makes one connection; connecting again reuses it without an API call', async () => {
    const [first, second] = await Promise.all([
      lifecycle.connectService(SSH.id),
      lifecycle.connectService(SSH.id),
    ]);
    expect(first).toBe(second);
    const again = await lifecycle.connectService(SSH.id);
    expect(again).toMatchObject({ action: 'copied', reused: true });
    expect(simulator.calls('device/connect')).toHaveLength(1);
    expect(copied).toHaveLength(2);
  });

  test.each([
    [{ kind: 'public' } as const, '0.0.0.0'],
    [{ kind: 'restricted', ip: '198.51.100.7' } as const, '198.51.100.7'],
  ])('the service mode %j sends hostip %s', async (mode, hostip) => {
    await writeCatalog([{ ...SSH, mode }]);
    await lifecycle.connectService(SSH.id);
    expect(simulator.calls('device/connect')[0]?.body).toMatchObject({ hostip, wait: 'true' });
  });

  test('the idle limit stops an unused port proxy', async () => {
    await fakeBrowser.storage.sync.set({
      preferences: { defaultMode: { kind: 'latching' }, idleLimitMin: 15 },
    });
    await lifecycle.connectService(SSH.id);
    const [record] = await records();
    expect(record!.idleStopAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    await writeLocal({ connections: { [record!.id]: { ...record!, idleStopAt: Date.now() - 1 } } });
    await lifecycle.onConnectionAlarm(record!.id);
    expect(await records()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
    expect((await readLocal('notices')).notices[0]?.text).toMatch(/idle limit/);
  });
});

describe('reverse proxies and tabs', () => {
  test('opens a tab; closing it stops the connection with the same ids', async () => {
    const outcome = await lifecycle.connectService(WEB.id);
    expect(outcome).toMatchObject({ action: 'opened-tab', reused: false });
    const [record] = await records();
    const tab = (await fakeBrowser.tabs.query({})).find((candidate) => candidate.url === record!.proxy)!;
    expect(record!.tabIds).toEqual([tab.id]);
    await lifecycle.onTabRemoved(tab.id!);
    expect(simulator.calls('device/connect/stop')[0]?.body).toEqual({
      deviceaddress: WEB.id,
      connectionid: record!.id,
    });
    expect(await records()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
  });

  test('a tab opened from the connection tab keeps it alive until the last one closes', async () => {
    await lifecycle.connectService(WEB.id);
    const [record] = await records();
    const first = record!.tabIds[0]!;
    await lifecycle.onTabCreated({ id: 9001, openerTabId: first });
    await lifecycle.onTabRemoved(first);
    expect(simulator.calls('device/connect/stop')).toHaveLength(0);
    await lifecycle.onTabRemoved(9001);
    expect(simulator.calls('device/connect/stop')).toHaveLength(1);
  });

  test('a proxy off remote.it domains is refused, never opened, and ended on the server', async () => {
    simulator.addFault({ fault: 'rogue-proxy', path: 'device/connect', times: 1 });
    await expect(lifecycle.connectService(WEB.id)).rejects.toThrow(
      /will not open \(https:\/\/login\.example\.com/,
    );
    expect((await fakeBrowser.tabs.query({})).some((tab) => tab.url?.includes('example.com'))).toBe(false);
    expect(await records()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
  });
});

describe('failures', () => {
  test.each([
    [
      'an offline service',
      () => writeCatalog([{ ...SSH, id: '80:00:00:00:00:04:2B:01' }]),
      '80:00:00:00:00:04:2B:01',
      /inactive/,
    ],
    [
      'an unknown service',
      () => writeCatalog([{ ...SSH, id: '80:00:00:00:00:09:2B:09' }]),
      '80:00:00:00:00:09:2B:09',
      /\[0861\]/,
    ],
    ['a malformed ID', async () => undefined, 'garage', /not a remote\.it service ID/],
    [
      'an HTML error page',
      async () => simulator.addFault({ fault: 'html-500', path: 'device/connect' }),
      SSH.id,
      /Slim Application Error/,
    ],
    [
      'the API down',
      async () => simulator.addFault({ fault: 'down', path: 'device/connect' }),
      SSH.id,
      /Cannot reach remote\.it/,
    ],
  ])('%s: an error with a reason, no record, nothing connecting', async (_, arrange, serviceId, message) => {
    await arrange();
    await expect(lifecycle.connectService(serviceId)).rejects.toThrow(message);
    expect(await records()).toEqual([]);
    expect((await readLocal('connecting')).connecting).toEqual({});
    expect(simulator.liveConnections()).toHaveLength(0);
  });

  test('a timeout is reported at the soft limit, and a connection that arrives later is stopped', async () => {
    await writeLocal({ settings: { endpoint: simulator.apiBase, requestTimeoutSec: 1 } });
    simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 1500, times: 1 });
    await expect(lifecycle.connectService(SSH.id)).rejects.toThrow(/did not answer within 1 seconds/);
    expect(await records()).toEqual([]);
    await expect.poll(() => simulator.calls('device/connect/stop').length, { timeout: 5000 }).toBe(1);
    expect(simulator.liveConnections()).toHaveLength(0);
  });

  test('a stop that fails is retried with backoff until it lands', async () => {
    await lifecycle.connectService(SSH.id);
    const [record] = await records();
    simulator.addFault({ fault: 'down', path: 'device/connect/stop', times: 2 });
    await lifecycle.stopConnection(record!.id);
    let { pendingStops } = await readLocal('pendingStops');
    expect(pendingStops[record!.id]).toMatchObject({
      attempts: 1,
      lastError: expect.stringMatching(/Cannot reach/),
    });
    const firstDelay = pendingStops[record!.id]!.nextAttemptAt - Date.now();
    expect(await fakeBrowser.alarms.get('retry-stops')).toBeTruthy();

    await writeLocal({
      pendingStops: { [record!.id]: { ...pendingStops[record!.id]!, nextAttemptAt: Date.now() } },
    });
    await lifecycle.flushStops();
    ({ pendingStops } = await readLocal('pendingStops'));
    expect(pendingStops[record!.id]!.attempts).toBe(2);
    expect(pendingStops[record!.id]!.nextAttemptAt - Date.now()).toBeGreaterThan(firstDelay);

    await writeLocal({
      pendingStops: { [record!.id]: { ...pendingStops[record!.id]!, nextAttemptAt: Date.now() } },
    });
    await lifecycle.flushStops();
    expect((await readLocal('pendingStops')).pendingStops).toEqual({});
    expect(simulator.liveConnections()).toHaveLength(0);
    expect(await fakeBrowser.alarms.get('retry-stops')).toBeFalsy();
  });

  test('a stop remote.it refuses for good is not retried, and the person is told', async () => {
    await writeLocal({
      pendingStops: {
        '00000000-0000-4000-8000-000000000000': {
          connectionId: '00000000-0000-4000-8000-000000000000',
          serviceId: SSH.id,
          serviceName: SSH.name,
          expiresAt: Date.now() + 60_000,
          attempts: 0,
          nextAttemptAt: 0,
          lastError: null,
        },
      },
    });
    await lifecycle.flushStops();
    expect((await readLocal('pendingStops')).pendingStops).toEqual({});
    expect(simulator.calls('device/connect/stop')).toHaveLength(1);
    expect((await readLocal('notices')).notices[0]).toMatchObject({
      kind: 'error',
      text: expect.stringMatching(
        /^Garage Pi - SSH: remote\.it did not stop the connection\. remote\.it said: connection .* was not found/,
      ),
    });
  });

  test('a stop is dropped, not retried forever, once the connection has expired anyway', async () => {
    await writeLocal({
      pendingStops: {
        gone: {
          connectionId: 'gone',
          serviceId: SSH.id,
          serviceName: SSH.name,
          expiresAt: Date.now() - 1,
          attempts: 3,
          nextAttemptAt: 0,
          lastError: 'x',
        },
      },
    });
    await lifecycle.flushStops();
    expect((await readLocal('pendingStops')).pendingStops).toEqual({});
    expect(simulator.calls('device/connect/stop')).toHaveLength(0);
  });
});

describe('after the worker or the browser restarts', () => {
  test('connections whose tabs are gone are stopped; live tabs and port proxies stay', async () => {
    await lifecycle.connectService(WEB.id);
    await lifecycle.connectService(SSH.id);
    const web = (await records()).find((record) => record.reverseProxy)!;
    await fakeBrowser.tabs.remove(web.tabIds[0]!).catch(() => undefined);
    const restarted = await restartWorker();
    await restarted.reconcile();
    expect((await records()).map((record) => record.serviceId)).toEqual([SSH.id]);
    expect(simulator.calls('device/connect/stop')[0]?.body).toMatchObject({ connectionid: web.id });
  });

  test('a record left "opening" by a stopped worker is stopped; expired ones are dropped with a notice', async () => {
    const base = {
      serviceName: 'x',
      proxy: 'http://a.localhost:1/',
      reverseProxy: true,
      mode: 'latching',
      hostip: '255.255.255.255',
      browserSession: 'b',
      startedAt: 0,
      idleStopAt: null,
    } as const;
    await lifecycle.connectService(WEB.id);
    const live = (await records())[0]!;
    await writeLocal({
      connections: {
        [live.id]: { ...live, tabIds: [], phase: 'opening', bootId: 'dead-worker' },
        old: {
          ...base,
          id: 'old',
          serviceId: SSH.id,
          tabIds: [],
          phase: 'open',
          bootId: 'x',
          expiresAt: Date.now() - 1000,
        },
      },
    });
    await (await restartWorker()).reconcile();
    expect(await records()).toEqual([]);
    expect(
      simulator
        .calls('device/connect/stop')
        .map((entry) => (entry.body as { connectionid: string }).connectionid),
    ).toEqual([live.id]);
    expect((await readLocal('notices')).notices[0]?.text).toMatch(/expired/);
  });

  test('tabs recorded in a previous browser session do not keep a connection alive', async () => {
    await lifecycle.connectService(WEB.id);
    await fakeBrowser.storage.session.clear();
    await (await restartWorker()).reconcile();
    expect(await records()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
  });

  test('a heartbeat alarm runs while tabs hold connections, and stops when nothing is left', async () => {
    await lifecycle.connectService(WEB.id);
    expect(await fakeBrowser.alarms.get('reconcile')).toMatchObject({ periodInMinutes: 0.5 });
    const [record] = await records();
    await lifecycle.onTabRemoved(record!.tabIds[0]!);
    await lifecycle.reconcile();
    expect(await fakeBrowser.alarms.get('reconcile')).toBeFalsy();
  });

  test('expiry removes the connection at expiresAt and says so', async () => {
    await lifecycle.connectService(SSH.id);
    const [record] = await records();
    await writeLocal({ connections: { [record!.id]: { ...record!, expiresAt: Date.now() - 1 } } });
    await lifecycle.onConnectionAlarm(record!.id);
    expect(await records()).toEqual([]);
    expect((await readLocal('notices')).notices[0]).toMatchObject({
      kind: 'expired',
      text: 'Garage Pi - SSH: the connection expired.',
    });
  });
});
