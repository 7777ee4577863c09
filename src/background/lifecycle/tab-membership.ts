/**
 * Which tabs hold a web connection: exactly those whose top-level page is on the connection's proxy origin
 * (scheme, host, port), however they got there. Openers say nothing about what a tab shows. The extension
 * has host access to remote.it's proxy hosts only, which is what makes those tabs' URLs visible without the
 * `tabs` permission; every other tab's URL stays hidden, and so counts as elsewhere.
 *
 * When the last tab closes, the connection is stopped at once. When the last tab navigates elsewhere, it is
 * stopped after a short grace, so a redirect away and straight back (a sign-in page) does not end it.
 */
import browser, { type Tabs } from '../../shared/browser';
import { serialQueue } from '../../shared/serial';
import { readLocal } from '../../shared/storage/local';
import { stopChosen } from './stop-queue';
import { bootId, mutate } from './store';

export const RELEASE_GRACE_MS = 5_000;
export const RELEASE_CHECK_ALARM = 'release-check';

export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** A tab on its way to the origin (typed, restored, redirected) counts as on it. */
function isOn(tab: Tabs.Tab, origin: string | null): boolean {
  return origin !== null && (originOf(tab.url) === origin || originOf(tab.pendingUrl) === origin);
}

/** The tab, if it still exists and still shows the proxy (it may have closed or gone elsewhere meanwhile). */
export async function tabShowing(tabId: number, proxy: string): Promise<Tabs.Tab | null> {
  const tab = await browser.tabs.get(tabId).catch(() => null);
  return tab && isOn(tab, originOf(proxy)) ? tab : null;
}

/**
 * Tab events come in bursts; each check looks at the tabs and applies what it saw before the next one looks,
 * so an older view of the tabs never overwrites a newer one.
 */
const syncs = serialQueue();

export interface TabCheck {
  /** A tab that was just closed (it may still be listed for a moment). */
  closedTabId?: number;
}

/** Set in storage.session, which the browser empties when it starts, once a check has completed. */
const TABS_CHECKED = 'tabsChecked';
let tabsCheckedThisBrowserSession = false;

/**
 * Until one check has completed since the browser started, every tab has a new id and restored tabs may still
 * be arriving (in any order, before or after this worker's own start-up check): a connection whose tabs
 * vanished then gets the grace instead of being stopped at once.
 */
async function browserJustStarted(): Promise<boolean> {
  if (!tabsCheckedThisBrowserSession) {
    const stored = await browser.storage.session.get(TABS_CHECKED);
    tabsCheckedThisBrowserSession = stored[TABS_CHECKED] === true;
  }
  return !tabsCheckedThisBrowserSession;
}

/** Brings every web connection's tabs in line with the browser. */
export function syncTabs(check: TabCheck = {}): Promise<void> {
  return syncs(() => syncTabsNow(check));
}

async function syncTabsNow({ closedTabId }: TabCheck): Promise<void> {
  const { connections } = await readLocal('connections');
  if (!Object.values(connections).some((record) => record.reverseProxy)) return;
  const browserStarted = await browserJustStarted();
  const tabs = (await browser.tabs.query({})).filter((tab) => tab.id !== undefined && tab.id !== closedTabId);
  const now = Date.now();
  const open = new Set(tabs.map((tab) => tab.id!));
  const closed = new Set<string>();
  let released = false;
  await mutate((state) => {
    for (const record of Object.values(state.connections)) {
      // The connect of this very worker is still opening its tab and adds it itself.
      if (!record.reverseProxy || (record.phase === 'opening' && record.bootId === bootId)) continue;
      const origin = originOf(record.proxy);
      // Closed, not navigated: its tabs are gone from the browser, not just elsewhere.
      const allClosed =
        !browserStarted && record.tabIds.length > 0 && record.tabIds.every((tabId) => !open.has(tabId));
      record.tabIds = tabs.filter((tab) => isOn(tab, origin)).map((tab) => tab.id!);
      if (record.tabIds.length) {
        record.releasedAt = null;
      } else if (allClosed) {
        closed.add(record.id);
      } else {
        record.releasedAt ??= now;
        released = true;
      }
    }
  });
  if (browserStarted) {
    await browser.storage.session.set({ [TABS_CHECKED]: true });
    tabsCheckedThisBrowserSession = true;
  }
  if (closed.size)
    await stopChosen((state) => [...closed].filter((id) => !state.connections[id]?.tabIds.length));
  if (released) scheduleReleaseCheck();
}

let releaseTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * A timer for a worker that stays awake (Chrome keeps it 30 s after an event), and an alarm for a background
 * that is unloaded sooner (Firefox's event page); Chrome may round the alarm up to 30 s, the heartbeat's pace.
 */
function scheduleReleaseCheck(): void {
  clearTimeout(releaseTimer);
  releaseTimer = setTimeout(() => void stopReleased(), RELEASE_GRACE_MS);
  void browser.alarms.create(RELEASE_CHECK_ALARM, { when: Date.now() + RELEASE_GRACE_MS });
}

/** Stops the web connections that have had no tab on their origin for the whole grace. */
export async function stopReleased(): Promise<void> {
  await syncTabs();
  const cutoff = Date.now() - RELEASE_GRACE_MS;
  await stopChosen((state) =>
    Object.values(state.connections)
      .filter((record) => record.releasedAt !== null && record.releasedAt <= cutoff)
      .map((record) => record.id),
  );
  const { connections } = await readLocal('connections');
  if (Object.values(connections).some((record) => record.releasedAt !== null)) scheduleReleaseCheck();
}

export function onTabUpdated(_tabId: number, change: Tabs.OnUpdatedChangeInfoType): Promise<void> {
  // Titles, favicons and audio changes say nothing about where the tab is.
  if (change.url === undefined && change.status === undefined) return Promise.resolve();
  return syncTabs();
}

export function onTabCreated(): Promise<void> {
  return syncTabs();
}

export function onTabRemoved(tabId: number): Promise<void> {
  return syncTabs({ closedTabId: tabId });
}

/** Prerendering swaps one tab for another. */
export function onTabReplaced(_addedTabId: number, removedTabId: number): Promise<void> {
  return syncTabs({ closedTabId: removedTabId });
}
