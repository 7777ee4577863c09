/** The one place tabs are opened or focused. */
import browser from '../shared/browser';

/** Opens the URL in a new tab right of the active one. */
export async function openTabNextToCurrent(url: string): Promise<number> {
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  const tab = await browser.tabs.create(
    active?.index !== undefined ? { url, windowId: active.windowId, index: active.index + 1 } : { url },
  );
  if (tab.id === undefined) throw new Error('The browser did not report the new tab.');
  return tab.id;
}

/** Brings a tab to the front; false when it no longer exists. */
export async function focusTab(tabId: number): Promise<boolean> {
  try {
    const tab = await browser.tabs.update(tabId, { active: true });
    if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
    return true;
  } catch {
    return false;
  }
}

export async function tabExists(tabId: number): Promise<boolean> {
  try {
    return !!(await browser.tabs.get(tabId));
  } catch {
    return false;
  }
}
