/**
 * The connection records and the stop queue in storage.local, changed only through one serial queue, and the
 * alarms that wake the worker for them. Every fact lives in storage, so any step can resume after the worker
 * is stopped; nothing is kept in globals but in-flight promises.
 */
import browser from '../../shared/browser';
import type { ConnectionRecord, PendingStop } from '../../shared/storage/connections';
import { updateLocal } from '../../shared/storage/local';
import type { LocalState } from '../../shared/storage/schema';

/** This worker instance: records it left "opening" are recognisable after a restart. */
export const bootId = crypto.randomUUID();

export const CONNECTION_ALARM_PREFIX = 'connection:';
export const RETRY_STOPS_ALARM = 'retry-stops';
/**
 * While web connections are live or stops are queued, the worker is woken every 30 s (Chrome's minimum) to
 * reconcile: an event lost while the worker was being torn down is made up for within half a minute.
 */
export const HEARTBEAT_ALARM = 'reconcile';
const HEARTBEAT_MINUTES = 0.5;

export type ConnectionState = Pick<LocalState, 'connections' | 'pendingStops'>;

/**
 * Every read-modify-write of the connection tables holds the storage lock, so no update from this worker or a
 * page is lost in between. `change` must not wait on anything but the state it is given.
 */
export function mutate<T>(change: (state: ConnectionState) => T): Promise<T> {
  return updateLocal(['connections', 'pendingStops'], change);
}

export function setConnecting(serviceId: string, connecting: boolean): Promise<void> {
  return updateLocal(['connecting'], ({ connecting: table }) => {
    if (connecting) table[serviceId] = Date.now();
    else delete table[serviceId];
  });
}

function nextDeadline(record: ConnectionRecord): number {
  return record.idleStopAt !== null ? Math.min(record.expiresAt, record.idleStopAt) : record.expiresAt;
}

export async function scheduleDeadline(record: ConnectionRecord): Promise<void> {
  await browser.alarms.create(`${CONNECTION_ALARM_PREFIX}${record.id}`, {
    when: Math.max(Date.now() + 1000, nextDeadline(record)),
  });
}

export async function clearDeadline(connectionId: string): Promise<void> {
  await browser.alarms.clear(`${CONNECTION_ALARM_PREFIX}${connectionId}`);
}

export async function scheduleStopRetry(pending: Record<string, PendingStop>): Promise<void> {
  const due = Object.values(pending).map((stop) => stop.nextAttemptAt);
  if (due.length)
    await browser.alarms.create(RETRY_STOPS_ALARM, { when: Math.max(Date.now() + 1000, Math.min(...due)) });
  else await browser.alarms.clear(RETRY_STOPS_ALARM);
}

export async function ensureHeartbeat(): Promise<void> {
  if (!(await browser.alarms.get(HEARTBEAT_ALARM))) {
    await browser.alarms.create(HEARTBEAT_ALARM, { periodInMinutes: HEARTBEAT_MINUTES });
  }
}

export async function clearHeartbeat(): Promise<void> {
  await browser.alarms.clear(HEARTBEAT_ALARM);
}

/** Sign-ins with a connect under way in this worker: a stop may follow, so leaving one keeps it. */
const connectsUnderWay = new Map<string, number>();

/** Counts a connect as under way for its sign-in until the returned function is called. */
export function trackConnect(sessionId: string): () => void {
  connectsUnderWay.set(sessionId, (connectsUnderWay.get(sessionId) ?? 0) + 1);
  return () => {
    const left = (connectsUnderWay.get(sessionId) ?? 1) - 1;
    if (left > 0) connectsUnderWay.set(sessionId, left);
    else connectsUnderWay.delete(sessionId);
  };
}

export function sessionsConnecting(): string[] {
  return [...connectsUnderWay.keys()];
}
