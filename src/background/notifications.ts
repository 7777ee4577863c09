/**
 * System notifications, by the rules in notification-rules.ts: whether the person wants them, whether a popup
 * is open, and the warning alarms a few minutes before a port connection ends. A notification that cannot be
 * shown is never an error: the popup's notices still say it.
 */
import browser, { type Storage } from '../shared/browser';
import type { ConnectionRecord } from '../shared/storage/connections';
import { readChoices } from '../shared/storage/choices';
import { readLocal } from '../shared/storage/local';
import { wantsNotifications } from '../shared/storage/schema';
import { notificationFor, warningTime, type NotificationEvent } from './notification-rules';

export const WARNING_ALARM_PREFIX = 'ending-soon:';
const POPUP_PAGE = 'src/popup/index.html';

type Context = { documentUrl?: string };
type WithContexts = { getContexts?: (filter: object) => Promise<Context[]> };
type WithViews = { getViews?: (filter?: object) => Window[] };

/** A popup of this extension is showing (as the toolbar popup, or opened in a tab). */
export async function popupIsOpen(): Promise<boolean> {
  const popup = browser.runtime.getURL(POPUP_PAGE);
  const runtime = browser.runtime as unknown as WithContexts;
  try {
    if (runtime.getContexts) {
      const contexts = await runtime.getContexts({});
      return contexts.some((context) => context.documentUrl?.startsWith(popup));
    }
    // Firefox before runtime.getContexts: the background page sees the extension's other pages.
    const views = (browser.extension as unknown as WithViews | undefined)?.getViews?.() ?? [];
    return views.some((view) => view.location.href.startsWith(popup));
  } catch {
    return false;
  }
}

/** Shows the notification the rules give for the event, if any. Never throws. */
export async function notify(event: NotificationEvent): Promise<boolean> {
  try {
    const [{ preferences }, popupOpen] = await Promise.all([readChoices(), popupIsOpen()]);
    const planned = notificationFor(event, { enabled: wantsNotifications(preferences), popupOpen });
    if (!planned) return false;
    await browser.notifications.create(planned.id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('icons/icon-96.png'),
      title: planned.title,
      message: planned.message,
    });
    return true;
  } catch {
    return false;
  }
}

const alarmName = (connectionId: string) => `${WARNING_ALARM_PREFIX}${connectionId}`;

/** (Re)arms the warning of a port connection, or clears it when it is gone or its warning has passed. */
export async function armWarning(connectionId: string, record: ConnectionRecord | undefined): Promise<void> {
  const at = record ? warningTime(record) : null;
  if (at === null || at <= Date.now()) await browser.alarms.clear(alarmName(connectionId));
  else await browser.alarms.create(alarmName(connectionId), { when: at });
}

/**
 * Connections are recorded by the lifecycle; their warnings follow every change: a new port connection, an
 * idle deadline pushed back by using it again, a connection stopped or expired.
 */
export function onConnectionsChangedForWarnings(
  changes: Record<string, Storage.StorageChange>,
  area: string,
): void {
  if (area !== 'local' || !('connections' in changes)) return;
  const before = (changes.connections?.oldValue ?? {}) as Record<string, ConnectionRecord>;
  const after = (changes.connections?.newValue ?? {}) as Record<string, ConnectionRecord>;
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[id];
    const current = after[id];
    if (old && current && warningTime(old) === warningTime(current)) continue;
    void armWarning(id, current).catch(() => undefined);
  }
}

export async function onWarningAlarm(connectionId: string): Promise<void> {
  const record = (await readLocal('connections')).connections[connectionId];
  if (!record) return;
  const shown = await notify({ kind: 'ending-soon', record, now: Date.now() });
  // Used again meanwhile: its deadline moved, and so does its warning.
  if (!shown && (warningTime(record) ?? 0) > Date.now()) await armWarning(connectionId, record);
}
