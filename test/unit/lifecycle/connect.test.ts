/** Connect: copy or open, reuse, modes, refusals and failures, each leaving nothing live on remote.it. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test, vi } from 'vitest';
import { writeCatalog } from '../../../src/shared/storage/choices';
import { readLocal, writeLocal } from '../../../src/shared/storage/local';
import {
  copied,
  endGrace,
  lifecycleEnvironment,
  records,
  restartWorker,
  SSH,
  connectPastTimeLimit,
  stopCalls,
  WEB,
  worker,
} from './harness';

const context = lifecycleEnvironment();

describe('port proxies', () => {
  test('connect copies the SSH command for the live listener and records the connection', async () => {
    const { simulator } = context;
    const outcome = await worker.connect.connectService(SSH.id);
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
      sessionId: (await readLocal('secrets')).secrets!.sessionId,
    });
    expect(record!.expiresAt).toBeGreaterThan(Date.now() + 28_000_000);
    expect(await fakeBrowser.alarms.get(`connection:${record!.id}`)).toBeTruthy();
  });

  test('a double click makes one connection; connecting again reuses it without an API call', async () => {
    const { simulator } = context;
    const [first, second] = await Promise.all([
      worker.connect.connectService(SSH.id),
      worker.connect.connectService(SSH.id),
    ]);
    expect(first).toBe(second);
    const again = await worker.connect.connectService(SSH.id);
    expect(again).toMatchObject({ action: 'copied', reused: true });
    expect(simulator.calls('device/connect')).toHaveLength(1);
    expect(copied).toHaveLength(2);
  });

  test.each([
    [{ kind: 'public' }, '0.0.0.0'],
    [{ kind: 'restricted', ip: '198.51.100.7' }, '198.51.100.7'],
    [{ kind: 'latching' }, '255.255.255.255'],
    // Damaged or synced from elsewhere: never wider than latching, never sent without a hostip.
    [{ kind: 'bogus' }, '255.255.255.255'],
    [{ kind: 'restricted', ip: '0.0.0.0' }, '255.255.255.255'],
    [{ kind: 'restricted', ip: '10.0.0.1' }, '255.255.255.255'],
    [null, '255.255.255.255'],
  ])('the stored mode %j sends hostip %s', async (mode, hostip) => {
    await writeCatalog([{ ...SSH, mode: mode as never }]);
    await worker.connect.connectService(SSH.id);
    expect(context.simulator.calls('device/connect')[0]?.body).toMatchObject({ hostip, wait: 'true' });
    const label = { '0.0.0.0': 'public', '255.255.255.255': 'latching' }[hostip] ?? 'restricted';
    expect((await records())[0]).toMatchObject({ hostip, mode: label });
  });

  test('the idle limit stops an unused port proxy', async () => {
    const { simulator } = context;
    await fakeBrowser.storage.sync.set({
      preferences: { defaultMode: { kind: 'latching' }, idleLimitMin: 15 },
    });
    await worker.connect.connectService(SSH.id);
    const [record] = await records();
    expect(record!.idleStopAt).toBeGreaterThan(Date.now() + 14 * 60_000);
    await writeLocal({ connections: { [record!.id]: { ...record!, idleStopAt: Date.now() - 1 } } });
    await worker.reconcile.onConnectionAlarm(record!.id);
    expect(await records()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
    expect((await readLocal('notices')).notices[0]?.text).toMatch(/idle limit/);
  });
});

describe('refused after connect: stopped through the queue, retried until it lands', () => {
  test('a proxy off remote.it domains is refused, never opened, and ended on the server', async () => {
    const { simulator } = context;
    simulator.addFault({ fault: 'rogue-proxy', path: 'device/connect', times: 1 });
    simulator.addFault({ fault: 'down', path: 'device/connect/stop', times: 1 });
    await expect(worker.connect.connectService(WEB.id)).rejects.toThrow(
      /will not open \(https:\/\/login\.example\.com/,
    );
    expect((await fakeBrowser.tabs.query({})).some((tab) => tab.url?.includes('example.com'))).toBe(false);
    expect(await records()).toEqual([]);
    // The first stop met a dead API: it waits in the queue rather than being swallowed.
    const [pending] = Object.values((await readLocal('pendingStops')).pendingStops);
    expect(pending).toMatchObject({ serviceId: WEB.id, attempts: 1 });
    expect(simulator.liveConnections()).toHaveLength(1);
    await writeLocal({ pendingStops: { [pending!.connectionId]: { ...pending!, nextAttemptAt: 0 } } });
    await worker.stops.flushStops();
    expect(simulator.liveConnections()).toHaveLength(0);
  });

  test.each([['a$(id).rt3.io'], ['a;reboot.rt3.io'], ['-oProxyCommand=x.rt3.io']])(
    'a port proxy on the host %s is never copied, and the connection is stopped',
    async (host) => {
      const { simulator } = context;
      simulator.addFault({
        fault: 'rogue-proxy',
        path: 'device/connect',
        times: 1,
        proxy: `http://${host}:33000`,
      });
      await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/will not open|not a plain host/);
      expect(copied).toEqual([]);
      expect(await records()).toEqual([]);
      expect(simulator.liveConnections()).toHaveLength(0);
    },
  );

  test('an SSH user that would run code in a shell is refused before anything is connected', async () => {
    const { simulator } = context;
    await writeCatalog([{ ...SSH, sshUser: '$(id)' }]);
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/SSH user name/);
    expect(simulator.calls('device/connect')).toHaveLength(0);
    expect(copied).toEqual([]);
  });

  test('a timeout is reported at the soft limit, and a connection that arrives later is stopped', async () => {
    const { simulator } = context;
    await connectPastTimeLimit(simulator);
    expect(await records()).toEqual([]);
    await expect.poll(() => stopCalls(simulator).length, { timeout: 5000 }).toBe(1);
    expect(simulator.liveConnections()).toHaveLength(0);
    expect((await readLocal('pendingStops')).pendingStops).toEqual({});
  });

  test('a connect past its time limit stays marked as connecting until its reply comes and is stopped', async () => {
    const { simulator } = context;
    await connectPastTimeLimit(simulator);
    expect(Object.keys((await readLocal('connecting')).connecting)).toEqual([SSH.id]);
    await expect.poll(() => stopCalls(simulator).length, { timeout: 5000 }).toBe(1);
    await expect.poll(async () => (await readLocal('connecting')).connecting).toEqual({});
  });

  test('with a developer key (v27 cannot list connections), a connect with no answer leaves nothing to look for', async () => {
    context.simulator.addFault({ fault: 'down', path: 'device/connect', times: 1 });
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/Cannot reach/);
    expect((await readLocal('lostConnects')).lostConnects).toEqual({});
    expect((await readLocal('connecting')).connecting).toEqual({});
  });

  test('a late reply whose stop meets a dead API is queued and delivered later', async () => {
    const { simulator } = context;
    simulator.addFault({ fault: 'html-500', path: 'device/connect/stop', times: 1 });
    await connectPastTimeLimit(simulator);
    await expect
      .poll(async () => Object.values((await readLocal('pendingStops')).pendingStops)[0]?.attempts, {
        timeout: 5000,
      })
      .toBe(1);
    expect(simulator.liveConnections()).toHaveLength(1);
    const [pending] = Object.values((await readLocal('pendingStops')).pendingStops);
    await writeLocal({ pendingStops: { [pending!.connectionId]: { ...pending!, nextAttemptAt: 0 } } });
    await worker.stops.flushStops();
    expect(simulator.liveConnections()).toHaveLength(0);
  });
});

describe('failures leave no record, nothing connecting, nothing live', () => {
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
      async () => context.simulator.addFault({ fault: 'html-500', path: 'device/connect' }),
      SSH.id,
      /Slim Application Error/,
    ],
    [
      'the API down',
      async () => context.simulator.addFault({ fault: 'down', path: 'device/connect' }),
      SSH.id,
      /Cannot reach remote\.it/,
    ],
    [
      'a damaged timeout setting',
      () => writeLocal({ settings: { endpoint: context.simulator.apiBase, requestTimeoutSec: NaN } }),
      SSH.id,
      null,
    ],
  ])('%s', async (_, arrange, serviceId, message) => {
    await arrange();
    if (message) await expect(worker.connect.connectService(serviceId)).rejects.toThrow(message);
    else await worker.connect.connectService(serviceId);
    expect((await readLocal('connecting')).connecting).toEqual({});
    const live = context.simulator.liveConnections();
    // A connect that succeeded is recorded; one that failed left nothing behind.
    expect((await records()).map((record) => record.id)).toEqual(live.map((entry) => entry.connectionId));
  });

  test('signed out: the reason, and no request', async () => {
    await fakeBrowser.storage.local.remove(['secrets', 'account']);
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/Sign in/);
    expect(context.simulator.calls('device/connect')).toHaveLength(0);
  });
});

describe('connecting again', () => {
  test('a reuse requests nothing and writes no connecting mark', async () => {
    await worker.connect.connectService(SSH.id);
    const written: string[] = [];
    const listener = (changes: Record<string, unknown>) => written.push(...Object.keys(changes));
    fakeBrowser.storage.local.onChanged.addListener(listener);
    await expect(worker.connect.connectService(SSH.id)).resolves.toMatchObject({ reused: true });
    fakeBrowser.storage.local.onChanged.removeListener(listener);
    expect(context.simulator.calls('device/connect')).toHaveLength(1);
    expect(written).not.toContain('connecting');
  });
});

describe('a worker stopped right after remote.it answers', () => {
  test('the connection is already recorded, so the next worker stops it', async () => {
    // The worker dies as it opens the tab, the first thing after the reply that waits for the record.
    vi.spyOn(fakeBrowser.tabs, 'create').mockReturnValueOnce(new Promise<never>(() => undefined) as never);
    void worker.connect.connectService(WEB.id);
    await vi.waitFor(async () => expect(await records()).toHaveLength(1));
    const [record] = await records();
    expect(record).toMatchObject({ serviceId: WEB.id, phase: 'opening' });
    await (await restartWorker()).reconcile.onWorkerStart();
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([record!.id]);
  });
});
