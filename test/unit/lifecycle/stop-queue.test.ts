/** Every stop goes through one queue that retries until remote.it confirms it or the connection is gone. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test, vi } from 'vitest';
import { signIn } from '../../../src/shared/auth';
import type { PendingStop } from '../../../src/shared/storage/connections';
import { writeCatalog } from '../../../src/shared/storage/choices';
import { readLocal, writeLocal } from '../../../src/shared/storage/local';
import { makeService } from '../../fixtures';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from '../../simulator/demo-data';
import { startSimulator } from '../../simulator/server';
import type { Fault } from '../../simulator/faults';
import { SSH, WEB, connectPastTimeLimit, lifecycleEnvironment, records, stopCalls, worker } from './harness';

const context = lifecycleEnvironment();

async function pending(): Promise<PendingStop[]> {
  return Object.values((await readLocal('pendingStops')).pendingStops);
}

/** Makes every queued stop due now, as the retry alarm would when its time comes. */
async function retryNow(): Promise<void> {
  const { pendingStops } = await readLocal('pendingStops');
  for (const stop of Object.values(pendingStops)) stop.nextAttemptAt = 0;
  await writeLocal({ pendingStops });
  await worker.stops.flushStops();
}

describe('retries', () => {
  test('while a stop is queued the heartbeat runs, so a retry spent by a stopped worker is made up for', async () => {
    const { simulator } = context;
    await worker.connect.connectService(SSH.id);
    simulator.addFault({ fault: 'down', path: 'device/connect/stop', times: 1 });
    await worker.stops.stopAll();
    expect(await pending()).toHaveLength(1);
    expect(await fakeBrowser.alarms.get('reconcile')).toMatchObject({ periodInMinutes: 0.5 });
    await retryNow();
    await worker.reconcile.reconcile();
    expect(await pending()).toEqual([]);
    expect(await fakeBrowser.alarms.get('reconcile')).toBeFalsy();
  });

  test('a stop that fails is retried with growing back-off until it lands', async () => {
    const { simulator } = context;
    await worker.connect.connectService(SSH.id);
    const [record] = await records();
    simulator.addFault({ fault: 'down', path: 'device/connect/stop', times: 2 });
    await worker.stops.stopConnection(record!.id);
    let [stop] = await pending();
    expect(stop).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/Cannot reach/) });
    const firstDelay = stop!.nextAttemptAt - Date.now();
    expect(await fakeBrowser.alarms.get('retry-stops')).toBeTruthy();
    await retryNow();
    [stop] = await pending();
    expect(stop!.attempts).toBe(2);
    expect(stop!.nextAttemptAt - Date.now()).toBeGreaterThan(firstDelay);
    await retryNow();
    expect(await pending()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
    expect(await fakeBrowser.alarms.get('retry-stops')).toBeFalsy();
  });

  test.each<Fault>(['html-404', 'html-500', 'malformed-json', 'status-false-no-reason', 'expired-token'])(
    'a reply that cannot be read as a stop (%s) is retried, never dropped',
    async (fault) => {
      const { simulator } = context;
      await worker.connect.connectService(WEB.id);
      const [record] = await records();
      simulator.addFault({ fault, path: 'device/connect/stop', times: 1 });
      await worker.stops.stopConnection(record!.id);
      if (fault !== 'expired-token') {
        expect(await pending()).toMatchObject([{ connectionId: record!.id, attempts: 1 }]);
        expect(simulator.liveConnections()).toHaveLength(1);
        await retryNow();
      }
      expect(await pending()).toEqual([]);
      expect(simulator.liveConnections()).toHaveLength(0);
      expect((await readLocal('notices')).notices).toEqual([]);
    },
  );

  test('remote.it saying the connection does not exist ends the stop quietly', async () => {
    const { simulator } = context;
    await worker.stops.queueStop({
      connectionId: '00000000-0000-4000-8000-000000000000',
      serviceId: SSH.id,
      serviceName: SSH.name,
      sessionId: (await readLocal('secrets')).secrets!.sessionId,
      expiresAt: Date.now() + 60_000,
    });
    expect(simulator.calls('device/connect/stop')).toHaveLength(1);
    expect(await pending()).toEqual([]);
    expect((await readLocal('notices')).notices).toEqual([]);
  });

  test('a stop never delivered is dropped once the connection has expired anyway, and the person is told', async () => {
    const { simulator } = context;
    await writeLocal({
      pendingStops: {
        gone: {
          connectionId: 'gone',
          serviceId: SSH.id,
          serviceName: SSH.name,
          sessionId: 'x',
          expiresAt: Date.now() - 1,
          attempts: 3,
          nextAttemptAt: 0,
          lastError: 'Cannot reach remote.it.',
        },
      },
    });
    await worker.stops.flushStops();
    expect(await pending()).toEqual([]);
    expect(simulator.calls('device/connect/stop')).toHaveLength(0);
    expect((await readLocal('notices')).notices[0]?.text).toMatch(/never reached remote\.it.*expired/);
  });
});

describe('after the sign-in it was made with is gone', () => {
  test('sign-out queues every stop first; they are delivered with the old sign-in once the API is back', async () => {
    const { simulator } = context;
    await worker.connect.connectService(SSH.id);
    await worker.connect.connectService(WEB.id);
    simulator.addFault({ fault: 'down', path: 'device/connect/stop' });
    await worker.stops.leaveSession();
    await expect.poll(async () => (await pending()).every((stop) => stop.attempts > 0)).toBe(true);
    expect(await records()).toEqual([]);
    expect(await pending()).toHaveLength(2);
    const local = await readLocal('secrets', 'account', 'retiredSessions');
    expect(local.secrets).toBeUndefined();
    expect(local.account).toBeUndefined();
    expect(Object.keys(local.retiredSessions)).toHaveLength(1);

    simulator.clearFaults();
    simulator.expireTokens();
    await retryNow();
    expect(simulator.liveConnections()).toHaveLength(0);
    expect(await pending()).toEqual([]);
    // Renewed with the kept authhash, then forgotten once nothing needs it.
    expect(simulator.calls('user/login/authhash')).toHaveLength(1);
    expect((await readLocal('retiredSessions')).retiredSessions).toEqual({});
  });

  test('an endpoint change sends the queued stops to the old endpoint, not the new one', async () => {
    const { simulator } = context;
    const other = await startSimulator();
    try {
      await worker.connect.connectService(SSH.id);
      simulator.addFault({ fault: 'down', path: 'device/connect/stop' });
      const remove = vi.fn(async () => true);
      Object.assign(fakeBrowser.permissions, { remove });
      await worker.stops.leaveSession({ endpoint: other.apiBase, requestTimeoutSec: 5 });
      await expect.poll(async () => (await pending())[0]?.attempts).toBe(1);
      expect((await readLocal('settings')).settings.endpoint).toBe(other.apiBase);
      // Both simulators are on 127.0.0.1, so the permission stays; what matters is when it is decided.
      simulator.clearFaults();
      await retryNow();
      expect(simulator.liveConnections()).toHaveLength(0);
      expect(stopCalls(simulator)).toHaveLength(1);
      expect(other.log).toEqual([]);
      expect(remove).not.toHaveBeenCalled();
    } finally {
      await other.close();
    }
  });

  test("a custom endpoint's host permission is given back only once its last queued stop is delivered", async () => {
    const { simulator } = context;
    const remove = vi.fn(async () => true);
    Object.assign(fakeBrowser.permissions, { remove });
    await worker.connect.connectService(SSH.id);
    simulator.addFault({ fault: 'down', path: 'device/connect/stop' });
    await worker.stops.leaveSession({ endpoint: 'https://api.remote.it/apv/v27', requestTimeoutSec: 5 });
    await expect.poll(async () => (await pending())[0]?.attempts).toBe(1);
    expect(remove).not.toHaveBeenCalled();
    simulator.clearFaults();
    await retryNow();
    expect(simulator.liveConnections()).toHaveLength(0);
    expect(remove).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*', 'http://*.localhost/*'] });
  });

  test('sign-out with nothing to stop keeps no credentials at all', async () => {
    await worker.stops.leaveSession();
    const local = await fakeBrowser.storage.local.get(null);
    expect(local.secrets).toBeUndefined();
    expect(local.retiredSessions ?? {}).toEqual({});
  });
});

describe('deadlines', () => {
  test('expiry removes the connection at expiresAt, sends no stop, and says so', async () => {
    await worker.connect.connectService(SSH.id);
    const [record] = await records();
    await writeLocal({ connections: { [record!.id]: { ...record!, expiresAt: Date.now() - 1 } } });
    await worker.reconcile.onConnectionAlarm(record!.id);
    expect(await records()).toEqual([]);
    expect(stopCalls(context.simulator)).toEqual([]);
    expect((await readLocal('notices')).notices[0]).toMatchObject({
      kind: 'expired',
      text: 'Garage Pi - SSH: the connection expired.',
    });
  });
});

describe('a sign-in that ends while its stops wait', () => {
  test('a sign-out during a connect: the connection that arrives is stopped with the old sign-in', async () => {
    const { simulator } = context;
    simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 1_000, times: 1 });
    const connecting = worker.connect.connectService(SSH.id);
    await expect.poll(async () => Object.keys((await readLocal('connecting')).connecting)).toHaveLength(1);
    await worker.stops.leaveSession();
    await expect(connecting).rejects.toThrow(/signed out meanwhile/);
    await expect.poll(() => simulator.liveConnections().length).toBe(0);
    expect(stopCalls(simulator)).toHaveLength(1);
  });

  test('a sign-out that gets the storage lock before a connect does: no request, and nothing of the sign-in is kept', async () => {
    const { simulator } = context;
    const { withStorageLock } = await import('../../../src/shared/storage/lock');
    // Another write holds the lock: the sign-out waits for it, and the connect reads its sign-in meanwhile.
    let release = () => {};
    let busy: Promise<void> | undefined;
    await new Promise<void>((locked) => {
      busy = withStorageLock(() => {
        locked();
        return new Promise<void>((resolve) => (release = resolve));
      });
    });
    const leaving = worker.stops.leaveSession();
    // The sign-out is now first in line for the lock; the connect reads its sign-in without it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const connecting = worker.connect.connectService(SSH.id);
    release();
    await Promise.all([busy, leaving]);
    await expect(connecting).rejects.toThrow(/signed out meanwhile/);
    expect(simulator.calls('device/connect')).toHaveLength(0);
    await expect.poll(async () => (await readLocal('retiredSessions')).retiredSessions).toEqual({});
    expect((await readLocal('connecting')).connecting).toEqual({});
  });

  test('a sign-in kept for a connect that remote.it then refuses is dropped once that connect has ended', async () => {
    const { simulator } = context;
    const ghost = makeService({ id: '80:00:00:00:00:09:2B:09', name: 'Ghost - SSH', sshUser: 'pi' });
    await writeCatalog([SSH, WEB, ghost]);
    simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 1_000, times: 1 });
    const connecting = worker.connect.connectService(ghost.id);
    await expect
      .poll(async () => Object.keys((await readLocal('connecting')).connecting))
      .toEqual([ghost.id]);
    await worker.stops.leaveSession();
    expect(Object.keys((await readLocal('retiredSessions')).retiredSessions)).toHaveLength(1);
    await expect(connecting).rejects.toMatchObject({ kind: 'api' });
    await expect.poll(async () => (await readLocal('retiredSessions')).retiredSessions).toEqual({});
  });

  test('a reply that comes after the time limit and after a sign-out is still stopped with that sign-in', async () => {
    const { simulator } = context;
    await connectPastTimeLimit(simulator);
    // Having seen the time-out, the person signs out before remote.it answers.
    await worker.stops.leaveSession();
    await expect.poll(() => stopCalls(simulator).length, { timeout: 5000 }).toBe(1);
    expect(simulator.liveConnections()).toHaveLength(0);
    await expect.poll(async () => (await readLocal('retiredSessions')).retiredSessions).toEqual({});
  });

  /** A connection whose stop is queued while its sign-in's token expires for good: the stop waits. */
  async function stopQueuedWhileSignInEnds(): Promise<void> {
    const { simulator } = context;
    await worker.connect.connectService(SSH.id);
    simulator.addFault({ fault: 'down', path: 'device/connect/stop' });
    await worker.stops.stopAll();
    simulator.clearFaults();
    simulator.expireTokens();
    simulator.accounts[0]!.authhash = 'CHANGED';
    await retryNow();
  }

  test('an ended sign-in hands its stops to the same account signing in again at the same endpoint', async () => {
    const { simulator } = context;
    await stopQueuedWhileSignInEnds();
    expect(await pending()).toHaveLength(1);
    expect((await pending())[0]!.lastError).toMatch(/sign in/i);
    await signIn({ developerKey: DEMO_DEVELOPER_KEY, email: DEMO_EMAIL, password: DEMO_PASSWORD });
    await retryNow();
    expect(await pending()).toEqual([]);
    expect(simulator.liveConnections()).toHaveLength(0);
  });

  test('a stop whose sign-in ended never goes to another endpoint', async () => {
    const other = await startSimulator();
    try {
      await stopQueuedWhileSignInEnds();
      await worker.stops.leaveSession({ endpoint: other.apiBase, requestTimeoutSec: 5 });
      await signIn({ developerKey: DEMO_DEVELOPER_KEY, email: DEMO_EMAIL, password: DEMO_PASSWORD });
      await retryNow();
      expect(other.calls('device/connect/stop')).toEqual([]);
      expect((await pending())[0]!.lastError).toMatch(/again as demo@example\.com/);
    } finally {
      await other.close();
    }
  });
});
