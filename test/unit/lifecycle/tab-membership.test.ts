/** Which tabs hold a web connection: those on its proxy origin, however they got there, and no others. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test } from 'vitest';
import { readLocal } from '../../../src/shared/storage/local';
import {
  SSH,
  WEB,
  closeTab,
  endGrace,
  navigate,
  newTab,
  records,
  restartWorker,
  stopCalls,
  tabs,
  lifecycleEnvironment,
  worker,
} from './harness';

const context = lifecycleEnvironment();

async function connectWeb(): Promise<{ id: string; tabId: number; origin: string }> {
  await worker.connect.connectService(WEB.id);
  const [record] = await records();
  return { id: record!.id, tabId: record!.tabIds[0]!, origin: new URL(record!.proxy).origin };
}

describe('closing tabs', () => {
  test('closing the only tab stops the connection at once, with the same ids', async () => {
    const { id, tabId } = await connectWeb();
    await closeTab(tabId);
    expect(context.simulator.calls('device/connect/stop')[0]?.body).toEqual({
      deviceaddress: WEB.id,
      connectionid: id,
    });
    expect(await records()).toEqual([]);
    expect(context.simulator.liveConnections()).toHaveLength(0);
  });

  test('a new tab opened while the connection tab is active (an opener, not the proxy) does not keep it', async () => {
    const { id, tabId } = await connectWeb();
    const other = await newTab();
    await navigate(other, 'https://example.com/');
    await closeTab(tabId);
    expect(stopCalls(context.simulator)).toEqual([id]);
  });

  test('a second tab on the same proxy keeps it until both are closed', async () => {
    const { id, tabId, origin } = await connectWeb();
    const second = await newTab(`${origin}/status`);
    expect((await records())[0]!.tabIds.sort()).toEqual([tabId, second].sort());
    await closeTab(tabId);
    expect(stopCalls(context.simulator)).toEqual([]);
    await closeTab(second);
    expect(stopCalls(context.simulator)).toEqual([id]);
  });

  test('a tab typed to the proxy address later joins; one on the same host but another port does not', async () => {
    const { id, tabId, origin } = await connectWeb();
    const typed = await newTab();
    await navigate(typed, `${origin}/typed`);
    const url = new URL(origin);
    const otherPort = await newTab(`${url.protocol}//${url.hostname}:${Number(url.port) + 1}/`);
    await closeTab(tabId);
    expect(stopCalls(context.simulator)).toEqual([]);
    expect((await records())[0]!.tabIds).toEqual([typed]);
    await closeTab(typed);
    expect(stopCalls(context.simulator)).toEqual([id]);
    await closeTab(otherPort);
  });
});

describe('connecting again', () => {
  test('brings a tab that shows the proxy to the front, and never one that has gone elsewhere', async () => {
    const { tabId, origin } = await connectWeb();
    const again = await worker.connect.connectService(WEB.id);
    expect(again).toMatchObject({ action: 'opened-tab', reused: true });
    expect(tabs.list).toHaveLength(1);
    // The tab went elsewhere and no event has told the worker yet: a new tab opens on the proxy instead.
    tabs.navigate(tabId, 'https://example.com/');
    await worker.connect.connectService(WEB.id);
    expect(tabs.list.map((tab) => new URL(tab.url!).origin)).toEqual(['https://example.com', origin]);
    expect(context.simulator.calls('device/connect')).toHaveLength(1);
  });
});

describe('navigating away', () => {
  test('the last tab navigating elsewhere releases it; it is stopped once the grace has passed', async () => {
    const { id, tabId } = await connectWeb();
    await navigate(tabId, 'https://example.com/');
    const [record] = await records();
    expect(record!.tabIds).toEqual([]);
    expect(record!.releasedAt).toEqual(expect.any(Number));
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([]);
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([id]);
    expect(context.simulator.liveConnections()).toHaveLength(0);
  });

  test('a redirect away and straight back within the grace keeps it', async () => {
    const { tabId, origin } = await connectWeb();
    await navigate(tabId, 'https://sso.example.com/login');
    await navigate(tabId, `${origin}/after-login`);
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([]);
    expect((await records())[0]).toMatchObject({ tabIds: [tabId], releasedAt: null });
  });

  test('the stop after the grace also happens when the worker was stopped during it (the heartbeat)', async () => {
    const { id, tabId } = await connectWeb();
    await navigate(tabId, 'https://example.com/');
    await endGrace();
    await (await restartWorker()).reconcile.reconcile();
    expect(stopCalls(context.simulator)).toEqual([id]);
  });
});

describe('after the worker or the browser restarts', () => {
  test('a proxy tab that is still open keeps its connection; port proxies stay', async () => {
    await connectWeb();
    await worker.connect.connectService(SSH.id);
    await (await restartWorker()).reconcile.reconcile();
    await endGrace();
    await worker.tabs.stopReleased();
    expect(await records()).toHaveLength(2);
    expect(stopCalls(context.simulator)).toEqual([]);
  });

  test('a restored tab with a new id on the proxy origin keeps the connection; one with none is stopped', async () => {
    const kept = await connectWeb();
    await worker.connect.connectService(SSH.id);
    // The browser restarts: every tab is gone, then the proxy tab comes back under another id.
    tabs.list = [];
    const restored = tabs.open(`${kept.origin}/dashboard`);
    await (await restartWorker()).reconcile.reconcile();
    await endGrace();
    await worker.tabs.stopReleased();
    const web = (await records()).find((record) => record.reverseProxy);
    expect(web).toMatchObject({ id: kept.id, tabIds: [restored.id] });
    expect(stopCalls(context.simulator)).toEqual([]);

    tabs.remove(restored.id!);
    await (await restartWorker()).reconcile.reconcile();
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([kept.id]);
    expect((await records()).map((record) => record.serviceId)).toEqual([SSH.id]);
  });

  /** The browser restarts: its tabs are gone (restored ones come back with new ids) and storage.session is empty. */
  async function restartBrowser(): Promise<void> {
    tabs.list = [];
    await fakeBrowser.storage.session.clear();
    await restartWorker();
  }

  test('right after the browser starts, a connection whose tabs are not back yet waits for them', async () => {
    const { id, origin } = await connectWeb();
    await restartBrowser();
    await worker.reconcile.onWorkerStart();
    expect(stopCalls(context.simulator)).toEqual([]);
    expect((await records())[0]!.releasedAt).toEqual(expect.any(Number));
    const restored = tabs.open(`${origin}/`);
    await worker.tabs.onTabUpdated(restored.id!, { status: 'complete' });
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([]);
    expect((await records())[0]).toMatchObject({ id, tabIds: [restored.id], releasedAt: null });
  });

  test('after a browser restart, another tab restored before the proxy tab does not stop the connection', async () => {
    const { id, origin } = await connectWeb();
    await restartBrowser();
    // Tab events reach the new worker before its own start-up check.
    tabs.open('https://example.com/');
    await worker.tabs.onTabCreated();
    const restored = tabs.open(`${origin}/`);
    await worker.tabs.onTabUpdated(restored.id!, { status: 'loading' });
    await worker.reconcile.onWorkerStart();
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([]);
    expect((await records())[0]).toMatchObject({ id, tabIds: [restored.id], releasedAt: null });
    // From then on a closed tab is a closed tab.
    tabs.remove(restored.id!);
    await worker.tabs.onTabRemoved(restored.id!);
    expect(stopCalls(context.simulator)).toEqual([id]);
  });

  test('a record left "opening" by a stopped worker, with no tab, is stopped after the grace', async () => {
    const { id, tabId } = await connectWeb();
    tabs.remove(tabId);
    const { connections } = await readLocal('connections');
    connections[id] = { ...connections[id]!, phase: 'opening', bootId: 'stopped-worker', tabIds: [] };
    await fakeBrowser.storage.local.set({ connections });
    await (await restartWorker()).reconcile.reconcile();
    await endGrace();
    await worker.tabs.stopReleased();
    expect(stopCalls(context.simulator)).toEqual([id]);
  });

  test("a reconcile arms a port connection's ending-soon warning that a stopped worker never armed", async () => {
    await worker.connect.connectService(SSH.id);
    const [record] = await records();
    await fakeBrowser.alarms.clear(`ending-soon:${record!.id}`);
    await (await restartWorker()).reconcile.reconcile();
    expect(await fakeBrowser.alarms.get(`ending-soon:${record!.id}`)).toBeTruthy();
  });

  test('a heartbeat runs while web connections are live, and ends when nothing is left', async () => {
    const { tabId } = await connectWeb();
    expect(await fakeBrowser.alarms.get('reconcile')).toMatchObject({ periodInMinutes: 0.5 });
    await closeTab(tabId);
    await worker.reconcile.reconcile();
    expect(await fakeBrowser.alarms.get('reconcile')).toBeFalsy();
  });
});
