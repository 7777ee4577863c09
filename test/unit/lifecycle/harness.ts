/**
 * The connection lifecycle with an in-memory browser and the simulator over HTTP. `restartWorker` loads fresh
 * module instances, as when the browser starts the service worker again: nothing survives but storage.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import type { Tabs } from 'webextension-polyfill';
import { afterAll, beforeAll, beforeEach, expect, vi } from 'vitest';
import { signIn, signInWithAccessKey } from '../../../src/shared/auth';
import type { SavedService } from '../../../src/shared/catalog';
import { writeCatalog } from '../../../src/shared/storage/choices';
import type { ConnectionRecord } from '../../../src/shared/storage/connections';
import { readLocal, writeLocal } from '../../../src/shared/storage/local';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
} from '../../simulator/demo-data';
import { startSimulator, type Simulator } from '../../simulator/server';
import { GARAGE_SSH, GARAGE_WEB } from '../../fixtures';

export const copied: string[] = [];
vi.mock('../../../src/background/clipboard', () => ({
  copyText: async (text: string) => {
    copied.push(text);
    return true;
  },
}));

export const SSH: SavedService = { ...GARAGE_SSH, sshUser: 'pi' };
export const WEB = GARAGE_WEB;

export interface Worker {
  connect: typeof import('../../../src/background/lifecycle/connect');
  stops: typeof import('../../../src/background/lifecycle/stop-queue');
  tabs: typeof import('../../../src/background/lifecycle/tab-membership');
  reconcile: typeof import('../../../src/background/lifecycle/reconcile');
}

export const worker = {} as Worker;

export async function restartWorker(): Promise<Worker> {
  vi.resetModules();
  Object.assign(worker, {
    connect: await import('../../../src/background/lifecycle/connect'),
    stops: await import('../../../src/background/lifecycle/stop-queue'),
    tabs: await import('../../../src/background/lifecycle/tab-membership'),
    reconcile: await import('../../../src/background/lifecycle/reconcile'),
  });
  return worker;
}

export async function records(): Promise<ConnectionRecord[]> {
  return Object.values((await readLocal('connections')).connections);
}

export function stopCalls(simulator: Simulator): string[] {
  return simulator
    .calls('device/connect/stop')
    .filter((entry) => entry.status === 200)
    .map((entry) => (entry.body as { connectionid: string }).connectionid);
}

/**
 * A connect whose reply comes half a second after its 3 s time limit: the person is told it did not answer,
 * and the request is still out.
 */
export async function connectPastTimeLimit(simulator: Simulator): Promise<void> {
  await writeLocal({ settings: { endpoint: simulator.apiBase, requestTimeoutSec: 3 } });
  simulator.addFault({ fault: 'slow', path: 'device/connect', delayMs: 3500, times: 1 });
  await expect(worker.connect.connectService(SSH.id)).rejects.toThrow(/did not answer within 3 seconds/);
}

/** Makes a released connection's grace run out without waiting for it. */
export async function endGrace(): Promise<void> {
  const { connections } = await readLocal('connections');
  for (const record of Object.values(connections))
    if (record.releasedAt !== null) record.releasedAt -= worker.tabs.RELEASE_GRACE_MS;
  await writeLocal({ connections });
}

/**
 * The browser's tabs, kept simply: the fake browser's own tab list cannot remove a tab. Every tab's URL is
 * visible here, where the real browser hides those off the proxy hosts: both mean "not on the proxy".
 */
export const tabs = {
  list: [] as Tabs.Tab[],
  nextId: 1,
  install(): void {
    this.list = [];
    vi.spyOn(fakeBrowser.tabs, 'query').mockImplementation(async () => this.list.map((tab) => ({ ...tab })));
    vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation(async (id: number) => {
      const tab = this.list.find((candidate) => candidate.id === id);
      if (!tab) throw new Error(`No tab with id: ${id}.`);
      return { ...tab };
    });
    vi.spyOn(fakeBrowser.tabs, 'create').mockImplementation(async ({ url }) => this.open(url));
    vi.spyOn(fakeBrowser.tabs, 'update').mockImplementation(async (id) => {
      const tab = this.list.find((candidate) => candidate.id === id);
      if (!tab) throw new Error(`No tab with id: ${id}.`);
      return { ...tab };
    });
    vi.spyOn(fakeBrowser.windows, 'update').mockImplementation(async () => ({}) as never);
  },
  /** Opened by the browser with the active tab as opener, as Chromium records it for Ctrl+T. */
  open(url = 'chrome://newtab/'): Tabs.Tab {
    const openerTabId = this.list.at(-1)?.id;
    const tab = { id: this.nextId++, index: this.list.length, url, windowId: 1, openerTabId } as Tabs.Tab;
    this.list.push(tab);
    return { ...tab };
  },
  remove(id: number): void {
    this.list = this.list.filter((tab) => tab.id !== id);
  },
  navigate(id: number, url: string): void {
    this.list.find((tab) => tab.id === id)!.url = url;
  },
};

/** Moves a tab to another URL the way the browser reports a navigation. */
export async function navigate(tabId: number, url: string): Promise<void> {
  tabs.navigate(tabId, url);
  await worker.tabs.onTabUpdated(tabId, { status: 'complete' });
}

/** A tab the person opens by hand (Ctrl+T records the active tab as its opener, which says nothing). */
export async function newTab(url?: string): Promise<number> {
  const tab = tabs.open(url);
  await worker.tabs.onTabCreated();
  return tab.id!;
}

export async function closeTab(tabId: number): Promise<void> {
  tabs.remove(tabId);
  await worker.tabs.onTabRemoved(tabId);
}

/** `accessKey`: signed in with an access key (GraphQL) instead of a developer key and password (v27). */
export function lifecycleEnvironment(options: { accessKey?: boolean } = {}): { simulator: Simulator } {
  const context = {} as { simulator: Simulator };
  beforeAll(async () => {
    context.simulator = await startSimulator();
  });
  afterAll(() => context.simulator.close());
  beforeEach(async () => {
    const { simulator } = context;
    tabs.install();
    await simulator.reset();
    copied.length = 0;
    await writeLocal({ settings: { endpoint: simulator.apiBase, requestTimeoutSec: 5 } });
    if (options.accessKey)
      await signInWithAccessKey({ keyId: DEMO_ACCESS_KEY_ID, secret: DEMO_ACCESS_KEY_SECRET });
    else await signIn({ developerKey: DEMO_DEVELOPER_KEY, email: DEMO_EMAIL, password: DEMO_PASSWORD });
    await writeCatalog([SSH, WEB]);
    // A browser that has been running: its tab ids are those it had when connections were made (the tests of a
    // browser restart empty storage.session, as the browser does).
    await fakeBrowser.storage.session.set({ tabsChecked: true });
    await restartWorker();
    simulator.log.length = 0;
  });
  return context;
}
