/**
 * When the extension speaks up with a system notification, and what it says. Pure, so the rules are tested on
 * their own: only when the person turned notifications on (the default), only when no popup is open (an open
 * popup shows the same as a notice), and only for what needs the person:
 * - a connect they started without the popup (a menu, a shortcut, the address bar) failed, or its address
 *   could not be copied;
 * - a port connection is a few minutes from its expiry or its idle limit;
 * - a stop never reached remote.it, through all its retries, before the connection expired.
 * A web connection ending because its tab closed is the expected end: never a notification.
 */
import { formatDuration } from '../shared/format';
import { t, type MessageKey } from '../shared/i18n';
import type { ConnectionRecord, PendingStop } from '../shared/storage/connections';

/** How long before a port connection's end the person is told. */
export const WARN_BEFORE_MS = 5 * 60_000;

export type EntryPoint = 'menu' | 'shortcut' | 'address bar';

export type NotificationEvent =
  | { kind: 'connect-failed'; entry: EntryPoint; what: string; reason: string }
  | { kind: 'copy-failed'; entry: EntryPoint; name: string; address: string }
  | { kind: 'ending-soon'; record: ConnectionRecord; now: number }
  | { kind: 'stop-undelivered'; stop: Pick<PendingStop, 'connectionId' | 'serviceName' | 'lastError'> }
  | { kind: 'connection-ended'; record: ConnectionRecord; cause: 'tab-closed' | 'expired' | 'idle' };

export interface NotificationContext {
  enabled: boolean;
  popupOpen: boolean;
}

export interface PlannedNotification {
  /** One notification per subject: a newer one replaces it instead of piling up. */
  id: string;
  title: string;
  message: string;
}

/** The deadline a port connection's warning is about, and why; null for a web connection. */
export function endingOf(record: ConnectionRecord): { at: number; cause: 'expiry' | 'idle' } | null {
  if (record.reverseProxy) return null;
  if (record.idleStopAt !== null && record.idleStopAt < record.expiresAt)
    return { at: record.idleStopAt, cause: 'idle' };
  return { at: record.expiresAt, cause: 'expiry' };
}

/** When the warning for a port connection is due; null for a web connection. */
export function warningTime(record: ConnectionRecord): number | null {
  const ending = endingOf(record);
  return ending ? ending.at - WARN_BEFORE_MS : null;
}

function minutes(ms: number): string {
  return formatDuration(Math.max(1, Math.round(ms / 60_000)), 'minute');
}

const FAILED_FROM: Record<EntryPoint, MessageKey> = {
  menu: 'failedFromMenu',
  shortcut: 'failedFromShortcut',
  'address bar': 'failedFromAddressBar',
};

function plan(event: NotificationEvent): PlannedNotification | null {
  switch (event.kind) {
    case 'connect-failed':
      return {
        id: `connect:${event.what}`,
        title: t('couldNotConnect', event.what),
        message: t(FAILED_FROM[event.entry], event.reason),
      };
    case 'copy-failed':
      return {
        id: `connect:${event.name}`,
        title: t('connectedNotCopiedTitle', event.name),
        message: t('copyFromPopup', event.address),
      };
    case 'ending-soon': {
      const ending = endingOf(event.record);
      // Only while it is actually close: a connection used again meanwhile has a later deadline.
      if (!ending || ending.at <= event.now || ending.at - event.now > WARN_BEFORE_MS + 60_000) return null;
      const left = minutes(ending.at - event.now);
      return {
        id: `ending:${event.record.id}`,
        title: t('stopsIn', event.record.serviceName, left),
        message: ending.cause === 'idle' ? t('idleEnding') : t('expiryEnding'),
      };
    }
    case 'stop-undelivered':
      return {
        id: `stop:${event.stop.connectionId}`,
        title: t('mayHaveStayedOpen', event.stop.serviceName),
        message: event.stop.lastError
          ? t('stopNeverReachedBecause', event.stop.lastError)
          : t('stopNeverReached'),
      };
    case 'connection-ended':
      // Tabs closing, expiry and the idle limit are expected ends; the warning came before the last two.
      return null;
  }
}

/** The notification to show for an event, or null when the rules say to stay quiet. */
export function notificationFor(
  event: NotificationEvent,
  context: NotificationContext,
): PlannedNotification | null {
  if (!context.enabled || context.popupOpen) return null;
  return plan(event);
}
