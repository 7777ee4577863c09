/** The one place tabs are opened or focused. */
import browser from '../shared/browser';
import { t } from '../shared/i18n';

/**
 * Where a web service opens: the address bar's dispositions. The popup, the menus and the shortcuts always
 * use a new tab in front.
 */
export type OpenIn = 'currentTab' | 'newForegroundTab' | 'newBackgroundTab';

/** Where a tab opens: in place of the active tab, or as a new tab right of it. */
export type TabPlacement = { replace: number } | { windowId?: number; index?: number; active: boolean };

/** Where a web service opening now goes (in front unless asked otherwise): beside the active tab, or in it. */
export async function tabPlacement(openIn: OpenIn = 'newForegroundTab'): Promise<TabPlacement> {
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (openIn === 'currentTab' && active?.id !== undefined) return { replace: active.id };
  const place = active?.index !== undefined ? { windowId: active.windowId, index: active.index + 1 } : {};
  return { ...place, active: openIn !== 'newBackgroundTab' };
}

/** Opens the URL where `placement` says; returns the tab's id. */
export async function openTab(url: string, placement: TabPlacement): Promise<number> {
  if ('replace' in placement) {
    const tab = await browser.tabs.update(placement.replace, { url });
    if (tab.id === undefined) throw new Error(t('tabNotReported'));
    return tab.id;
  }
  const tab = await browser.tabs.create({ url, ...placement });
  if (tab.id === undefined) throw new Error(t('newTabNotReported'));
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
