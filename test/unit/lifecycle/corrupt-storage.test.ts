/**
 * The worker with damaged storage, shape by shape: starting, a tab closing, the heartbeat and Stop all never
 * throw, and the well-formed connection is still stopped (or queued to be), never lost to its broken neighbour.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { readLocal } from '../../../src/shared/storage/local';
import { BASELINE_CONNECTION, CORRUPT_BASELINE, CORRUPT_SHAPES } from '../../corrupt-storage';
import { restartWorker, worker } from './harness';

/** remote.it as far as a stop needs it: every stop succeeds. Nothing here may reach the network. */
const stopped: string[] = [];
beforeEach(() => {
  stopped.length = 0;
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (_url, init) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as { connectionid?: string };
    if (body.connectionid) stopped.push(body.connectionid);
    return new Response(JSON.stringify({ status: 'true', connectionid: body.connectionid }));
  });
});

describe.each(CORRUPT_SHAPES)('$name', (shape) => {
  test('the worker starts, handles tab and alarm events, and Stop all still ends the good connection', async () => {
    await fakeBrowser.storage.local.set({ ...CORRUPT_BASELINE.local, ...shape.local });
    await fakeBrowser.storage.sync.set({ ...CORRUPT_BASELINE.sync, ...shape.sync });
    await restartWorker();
    await worker.reconcile.onWorkerStart();
    await worker.tabs.onTabRemoved(4242);
    await worker.tabs.onTabUpdated(4242, { status: 'complete' });
    await worker.reconcile.reconcile();
    const kept = BASELINE_CONNECTION.id in (await readLocal('connections')).connections;
    await worker.stops.stopAll();
    const { connections, pendingStops } = await readLocal('connections', 'pendingStops');
    expect(connections).toEqual({});
    // Damage to the connections table itself can take the record with it; anywhere else it must survive.
    if (!('connections' in (shape.local ?? {})) || kept) {
      const delivered = stopped.includes(BASELINE_CONNECTION.id);
      const queued = BASELINE_CONNECTION.id in pendingStops;
      expect(delivered || queued).toBe(true);
    }
  });
});
