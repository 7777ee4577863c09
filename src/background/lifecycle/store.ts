/**
 * The connection records, the stop queue and the connecting marks in storage.local, changed under the storage
 * lock, and the alarms that wake the worker for them. Every fact lives in storage, so any step can resume
 * after the worker is stopped; globals hold only what belongs to this worker instance (its connects under way,
 * the marks it wrote).
 */
import { signedInSessionId } from '../../shared/auth';
import browser from '../../shared/browser';
import { addLostConnect, type ConnectionRecord, type PendingStop } from '../../shared/storage/connections';
import { updateLocal } from '../../shared/storage/local';
import type { LocalState } from '../../shared/storage/schema';

/** This worker instance: records it left "opening" are recognisable after a restart. */
export const bootId = crypto.randomUUID();

export const CONNECTION_ALARM_PREFIX = 'connection:';
export const RETRY_STOPS_ALARM = 'retry-stops';
/**
 * While web connections are live, stops are queued or lost connects are looked for, the worker is woken every
 * 30 s (Chrome's minimum) to reconcile: an event lost while the worker was being torn down is made up for
 * within half a minute.
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

/** A connect's mark: when it was written, and who was signed in then. */
export interface ConnectingMark {
  at: number;
  sessionId: string | null;
}

/** What a connect starts from: the service's live connection to reuse, or its mark. */
export type ConnectStart = { live: ConnectionRecord } | { mark: ConnectingMark };

/** The marks this worker wrote, by service: a connect of its own, never a stopped worker's lost one. */
const ownMarks = new Map<string, number>();

function isOwnMark(serviceId: string, at: number): boolean {
  return ownMarks.get(serviceId) === at;
}

/**
 * A mark a stopped worker left for the service (its reply is lost) becomes a lost connect of the sign-in
 * current now, to be looked for on remote.it; a mark this worker wrote is its own connect under way.
 */
export function adoptStrandedMark(
  state: Pick<LocalState, 'connecting' | 'lostConnects'>,
  serviceId: string,
  sessionId: string | null,
): void {
  const requestedAt = state.connecting[serviceId];
  if (requestedAt === undefined || isOwnMark(serviceId, requestedAt)) return;
  if (sessionId) addLostConnect(state.lostConnects, { serviceId, requestedAt, sessionId });
  delete state.connecting[serviceId];
}

/**
 * Finds the service's live connection; when there is none, marks the service as connecting in the same write
 * (a worker stopped mid-connect leaves the mark for the next one, which then looks for the connection on
 * remote.it) and notes who is signed in, in the order of the lock: a sign-out before it means no request. A
 * reuse requests nothing, so it leaves no mark.
 */
export function startConnect(
  serviceId: string,
  isLive: (record: ConnectionRecord) => boolean,
): Promise<ConnectStart> {
  return updateLocal(['connections', 'connecting', 'lostConnects', 'secrets', 'account'], (state) => {
    const live = Object.values(state.connections).find(
      (record) => record.serviceId === serviceId && isLive(record),
    );
    if (live) return { live };
    const sessionId = signedInSessionId(state);
    // The connect that woke this worker may come before its start-up turns a stopped worker's marks into lost
    // connects: this service's is turned now, before it is written over.
    adoptStrandedMark(state, serviceId, sessionId);
    const at = Date.now();
    state.connecting[serviceId] = at;
    ownMarks.set(serviceId, at);
    return { mark: { at, sessionId } };
  });
}

/**
 * Ends a connect's mark, unless a newer connect of the service marked it again. When the request's outcome is
 * unknown (no reply, an unreadable one), it becomes a lost connect of the sign-in `lostAs`, looked for on
 * remote.it like one a stopped worker left (from the next heartbeat), even when a newer connect has marked the
 * service meanwhile.
 */
export async function endMark(
  serviceId: string,
  mark: ConnectingMark,
  lostAs?: string | null,
): Promise<void> {
  await updateLocal(['connecting', 'lostConnects'], (state) => {
    if (lostAs) addLostConnect(state.lostConnects, { serviceId, requestedAt: mark.at, sessionId: lostAs });
    if (state.connecting[serviceId] !== mark.at) return;
    delete state.connecting[serviceId];
    if (isOwnMark(serviceId, mark.at)) ownMarks.delete(serviceId);
  });
  if (lostAs) await ensureHeartbeat();
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
  if (!due.length) {
    await browser.alarms.clear(RETRY_STOPS_ALARM);
    return;
  }
  // The heartbeat too: a retry alarm that fired in a worker stopped mid-send is spent, the heartbeat is not.
  await Promise.all([
    browser.alarms.create(RETRY_STOPS_ALARM, { when: Math.max(Date.now() + 1000, Math.min(...due)) }),
    ensureHeartbeat(),
  ]);
}

export async function ensureHeartbeat(): Promise<void> {
  if (!(await browser.alarms.get(HEARTBEAT_ALARM))) {
    await browser.alarms.create(HEARTBEAT_ALARM, { periodInMinutes: HEARTBEAT_MINUTES });
  }
}

export async function clearHeartbeat(): Promise<void> {
  await browser.alarms.clear(HEARTBEAT_ALARM);
}

/** A connect under way in this worker, and the sign-in it uses once that is read. */
interface ConnectUnderWay {
  sessionId: string | null;
}
const connectsUnderWay = new Set<ConnectUnderWay>();

export interface ConnectTracking {
  signedInAs(sessionId: string): void;
  /**
   * Keeps the connect counted until `work` settles too: a request that outlives the connect's deadline, then
   * the stop of what it made. Counted again if it had already ended.
   */
  hold<T>(work: Promise<T>): Promise<T>;
  done(): void;
  /** Calls back each time the connect and everything it holds have ended (now, if they have). */
  onEnded(callback: () => void): void;
}

/**
 * Counts a connect as under way from its first step, before it reads which sign-in it uses: a sign-out that
 * lands meanwhile keeps that sign-in for the stop that may follow.
 */
export function trackConnect(): ConnectTracking {
  const connect: ConnectUnderWay = { sessionId: null };
  let holds = 1;
  let whenEnded: (() => void) | undefined;
  const release = () => {
    if (--holds > 0) return;
    connectsUnderWay.delete(connect);
    whenEnded?.();
  };
  connectsUnderWay.add(connect);
  return {
    signedInAs: (sessionId) => void (connect.sessionId = sessionId),
    hold(work) {
      holds++;
      connectsUnderWay.add(connect);
      work.then(release, release);
      return work;
    },
    done: release,
    onEnded(callback) {
      whenEnded = callback;
      if (holds === 0) callback();
    },
  };
}

export function anyConnectUnderWay(): boolean {
  return connectsUnderWay.size > 0;
}

/** Sign-ins that connects under way use: a stop may follow, so leaving one keeps it. */
export function sessionsConnecting(): string[] {
  return [...connectsUnderWay].flatMap((connect) => (connect.sessionId ? [connect.sessionId] : []));
}
