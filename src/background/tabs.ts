/** The one place tabs are opened or focused. */
import browser from '../shared/browser';
import { t } from '../shared/i18n';

/**
 * Where a web service opens: the address bar's dispositions. The popup, the menus and the shortcuts always
 * use a new tab in front.
 */
export type OpenIn = 'currentTab' | 'newForegroundTab' | 'newBackgroundTab';

/** Opens the URL in a new tab right of the active one (in front unless asked otherwise), or in the active tab. */
export async function openTabNextToCurrent(
  url: string,
  openIn: OpenIn = 'newForegroundTab',
): Promise<number> {
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (openIn === 'currentTab' && active?.id !== undefined) {
    const tab = await browser.tabs.update(active.id, { url });
    if (tab.id === undefined) throw new Error(t('tabNotReported'));
    return tab.id;
  }
  const place = active?.index !== undefined ? { windowId: active.windowId, index: active.index + 1 } : {};
  const tab = await browser.tabs.create({ url, ...place, active: openIn !== 'newBackgroundTab' });
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
