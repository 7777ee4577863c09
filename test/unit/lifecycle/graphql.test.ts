/**
 * The same lifecycle signed in with an access key: every call is signed GraphQL, and the listing of live
 * connections lets the worker find what a lost reply left behind, without touching anyone else's.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test, vi } from 'vitest';
import { readLocal, writeLocal } from '../../../src/shared/storage/local';
import { SSH, WEB, closeTab, copied, lifecycleEnvironment, records, restartWorker, worker } from './harness';

const context = lifecycleEnvironment({ accessKey: true });

const graphqlCalls = (operation: string) => context.simulator.calls(`graphql:${operation}`);
const sessionId = async () => (await readLocal('secrets')).secrets!.sessionId;

describe('signed in with an access key', () => {
  test('connect copies a port proxy and opens a web one; their stops go out as disconnect', async () => {
    const ssh = await worker.connect.connectService(SSH.id);
    const [live] = context.simulator.liveConnections();
    expect(ssh).toMatchObject({ action: 'copied', copied: `ssh -p ${live!.listener.port} pi@127.0.0.1` });
    expect(copied).toHaveLength(1);
    expect(graphqlCalls('connect')[0]?.headers.authorization).toMatch(/^Signature keyId="/);
    expect(graphqlCalls('connect')[0]?.body).toMatchObject({ variables: { hostIP: '255.255.255.255' } });

    const web = await worker.connect.connectService(WEB.id);
    expect(web).toMatchObject({ action: 'opened-tab' });
    const webRecord = (await records()).find((record) => record.reverseProxy)!;
    await closeTab(webRecord.tabIds[0]!);
    await worker.stops.stopAll();
    expect(context.simulator.liveConnections()).toHaveLength(0);
    expect(graphqlCalls('disconnect')).toHaveLength(2);
    expect(context.simulator.calls('device/connect')).toHaveLength(0);
  });

  test('a connect whose reply was lost is found after the worker restarts and stopped', async () => {
    // The worker was stopped mid-connect: its mark is left, the connection exists, no record does.
    const requestedAt = Date.now();
    await writeLocal({ connecting: { [SSH.id]: requestedAt } });
    const lost = await context.simulator.openForeignSession(SSH.id);
    const foreignEarlier = context.simulator.connections.get(lost.connectionId)!;
    // Another app's connection to another service at the same time is not ours to stop.
    const other = await context.simulator.openForeignSession(WEB.id);
    foreignEarlier.createdAt = requestedAt + 1000;
    await (await restartWorker()).reconcile.onWorkerStart();
    expect(context.simulator.liveConnections().map((c) => c.connectionId)).toEqual([other.connectionId]);
    expect((await readLocal('lostConnects')).lostConnects).toEqual({});
  });

  test('a connect whose reply cannot be read is looked for like a lost one, and what it made is stopped', async () => {
    context.simulator.addFault({ fault: 'html-500', path: 'graphql:connect', times: 1 });
    const requestedAt = Date.now();
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow();
    expect((await readLocal('connecting')).connecting).toEqual({});
    expect((await readLocal('lostConnects')).lostConnects).toEqual({
      [SSH.id]: { serviceId: SSH.id, requestedAt: expect.any(Number), sessionId: await sessionId() },
    });
    // remote.it made the connection all the same.
    const made = await context.simulator.openForeignSession(SSH.id);
    context.simulator.connections.get(made.connectionId)!.createdAt = requestedAt + 500;
    await worker.reconcile.reconcile();
    expect(context.simulator.liveConnections()).toEqual([]);
  });

  test("a second try while the first connect's request is still out: the first is still looked for if it fails", async () => {
    const { simulator } = context;
    await writeLocal({ settings: { endpoint: simulator.apiBase, requestTimeoutSec: 3 } });
    // The first request gets no answer within its hard limit (13 s); the second is answered at once.
    simulator.addFault({ fault: 'slow', path: 'graphql:connect', delayMs: 14_000, times: 1 });
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/did not answer/);
    await expect(worker.connect.connectService(SSH.id)).resolves.toMatchObject({ action: 'copied' });
    await expect
      .poll(async () => Object.keys((await readLocal('lostConnects')).lostConnects), { timeout: 15_000 })
      .toEqual([SSH.id]);
    expect(await fakeBrowser.alarms.get('reconcile')).toBeTruthy();
  }, 25_000);

  test("a stopped worker's mark is still a lost connect when the connect that wakes the next one is for the same service", async () => {
    await writeLocal({ connecting: { [SSH.id]: Date.now() - 5_000 } });
    await restartWorker();
    await worker.connect.connectService(SSH.id);
    expect(Object.keys((await readLocal('lostConnects')).lostConnects)).toEqual([SSH.id]);
  });

  test('a lost connect that waits while its service is connected again is not given up unsearched', async () => {
    await writeLocal({
      lostConnects: {
        [SSH.id]: { serviceId: SSH.id, requestedAt: Date.now() - 60_000, sessionId: await sessionId() },
      },
      connecting: { [SSH.id]: Date.now() },
    });
    await worker.reconcile.reconcile();
    expect(Object.keys((await readLocal('lostConnects')).lostConnects)).toEqual([SSH.id]);
  });

  test('a second lost request of a service is looked for too, not only the first', async () => {
    const first = { serviceId: SSH.id, requestedAt: Date.now() - 60_000, sessionId: await sessionId() };
    await writeLocal({ lostConnects: { [SSH.id]: first } });
    context.simulator.addFault({ fault: 'html-500', path: 'graphql:connect', times: 1 });
    const requestedAt = Date.now();
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow();
    // remote.it made the second one all the same.
    const made = await context.simulator.openForeignSession(SSH.id);
    context.simulator.connections.get(made.connectionId)!.createdAt = requestedAt + 500;
    await worker.reconcile.reconcile();
    expect(context.simulator.liveConnections()).toEqual([]);
  });

  test('a failed connect whose mark cannot be ended (storage full) says why it failed and does not keep the sign-in', async () => {
    context.simulator.addFault({ fault: 'down', path: 'graphql:connect', times: 1 });
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    const full = vi.spyOn(fakeBrowser.storage.local, 'set').mockImplementation(async (items) => {
      if ('lostConnects' in items) throw new Error('QUOTA_BYTES quota exceeded');
      return set(items);
    });
    await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/Cannot reach/);
    full.mockRestore();
    await worker.stops.leaveSession();
    await worker.stops.flushStops();
    expect((await readLocal('retiredSessions')).retiredSessions).toEqual({});
  });

  test('the connect that wakes the worker is its own, not a lost one', async () => {
    context.simulator.addFault({ fault: 'slow', path: 'graphql:connect', delayMs: 500, times: 1 });
    await restartWorker();
    const connecting = worker.connect.connectService(SSH.id);
    await expect.poll(async () => Object.keys((await readLocal('connecting')).connecting)).toEqual([SSH.id]);
    await worker.reconcile.onWorkerStart();
    expect((await readLocal('lostConnects')).lostConnects).toEqual({});
    await expect(connecting).resolves.toMatchObject({ action: 'copied' });
    expect(context.simulator.liveConnections()).toHaveLength(1);
  });

  test('two unknown connections that either could be the lost one: neither is stopped, and the person is told', async () => {
    const requestedAt = Date.now();
    await writeLocal({ connecting: { [SSH.id]: requestedAt } });
    const candidates = [
      await context.simulator.openForeignSession(SSH.id),
      await context.simulator.openForeignSession(SSH.id),
    ];
    for (const candidate of candidates)
      context.simulator.connections.get(candidate.connectionId)!.createdAt = requestedAt + 1000;
    await (await restartWorker()).reconcile.onWorkerStart();
    expect(context.simulator.liveConnections()).toHaveLength(2);
    expect((await readLocal('lostConnects')).lostConnects).toEqual({});
    expect((await readLocal('notices')).notices[0]?.text).toMatch(/could not be told apart/);
  });

  test('signing out while a lost connect is looked for keeps the sign-in it needs to stop what it finds', async () => {
    const requestedAt = Date.now();
    await writeLocal({ connecting: { [SSH.id]: requestedAt } });
    await (await restartWorker()).reconcile.onWorkerStart();
    await worker.stops.leaveSession();
    const late = await context.simulator.openForeignSession(SSH.id);
    context.simulator.connections.get(late.connectionId)!.createdAt = requestedAt + 3000;
    await worker.reconcile.reconcile();
    expect(context.simulator.liveConnections()).toEqual([]);
    expect((await readLocal('lostConnects')).lostConnects).toEqual({});
    await worker.reconcile.reconcile();
    expect((await readLocal('retiredSessions')).retiredSessions).toEqual({});
  });

  test('a lost connect is looked for again until its connection can no longer appear', async () => {
    const requestedAt = Date.now();
    await writeLocal({ connecting: { [SSH.id]: requestedAt } });
    await (await restartWorker()).reconcile.onWorkerStart();
    expect(Object.keys((await readLocal('lostConnects')).lostConnects)).toEqual([SSH.id]);
    // remote.it makes it only now, after the first look.
    const late = await context.simulator.openForeignSession(SSH.id);
    context.simulator.connections.get(late.connectionId)!.createdAt = requestedAt + 3000;
    await worker.reconcile.reconcile();
    expect(context.simulator.liveConnections()).toEqual([]);
    expect((await readLocal('lostConnects')).lostConnects).toEqual({});
  });

  test('a lost connect whose time has passed is given up; one for a service connecting again waits', async () => {
    await writeLocal({
      lostConnects: {
        [SSH.id]: { serviceId: SSH.id, requestedAt: Date.now() - 60_000, sessionId: await sessionId() },
        [WEB.id]: { serviceId: WEB.id, requestedAt: Date.now(), sessionId: await sessionId() },
      },
      connecting: { [WEB.id]: Date.now() },
    });
    const mine = await context.simulator.openForeignSession(WEB.id);
    await worker.reconcile.reconcile();
    expect(Object.keys((await readLocal('lostConnects')).lostConnects)).toEqual([WEB.id]);
    expect(context.simulator.liveConnections().map((c) => c.connectionId)).toEqual([mine.connectionId]);
  });

  test("a connection made long before a lost connect's request is never taken for it", async () => {
    const older = await context.simulator.openForeignSession(SSH.id);
    context.simulator.connections.get(older.connectionId)!.createdAt = Date.now() - 10 * 60_000;
    await writeLocal({ connecting: { [SSH.id]: Date.now() } });
    await (await restartWorker()).reconcile.onWorkerStart();
    expect(context.simulator.liveConnections().map((c) => c.connectionId)).toEqual([older.connectionId]);
  });

  test('a recorded connection remote.it leaves out of two listings in a row is forgotten, with a notice', async () => {
    await worker.connect.connectService(SSH.id);
    const [record] = await records();
    await writeLocal({ connections: { [record!.id]: { ...record!, startedAt: Date.now() - 120_000 } } });
    await context.simulator.reset();
    // Two reconciles at once (the heartbeat that starts a worker) are one look, not two.
    await Promise.all([worker.reconcile.reconcile(), worker.reconcile.reconcile()]);
    const [unlisted] = await records();
    expect(unlisted).toMatchObject({ id: record!.id, unlistedAt: expect.any(Number) });
    expect((await readLocal('notices')).notices).toEqual([]);
    // The next heartbeat's listing, half a minute later, leaves it out again.
    await writeLocal({ connections: { [record!.id]: { ...unlisted!, unlistedAt: Date.now() - 30_000 } } });
    await worker.reconcile.reconcile();
    expect(await records()).toEqual([]);
    expect((await readLocal('notices')).notices[0]?.text).toMatch(/ended on remote\.it/);
  });

  test('a connection left out of one listing and listed again is kept', async () => {
    await worker.connect.connectService(SSH.id);
    const [record] = await records();
    const old = { ...record!, startedAt: Date.now() - 120_000, unlistedAt: Date.now() - 30_000 };
    await writeLocal({ connections: { [record!.id]: old } });
    await worker.reconcile.reconcile();
    expect((await records())[0]).toMatchObject({ id: record!.id });
    expect((await records())[0]!.unlistedAt).toBeUndefined();
    expect(context.simulator.liveConnections()).toHaveLength(1);
  });
});
