/**
 * The one way a connection is stopped on remote.it: every stop (tab released, Stop, Stop all, idle limit,
 * sign-out, endpoint change, a proxy refused after connect, a reply that came too late) is queued in storage
 * first and then sent, and retried with back-off until remote.it confirms it, says the connection does not
 * exist, or the connection has expired on its own. A queued stop names the sign-in that made the connection,
 * so it is delivered with those credentials even after the person signed out or changed the endpoint.
 */
import { ApiError } from '../../shared/api';
import { dropRetiredSessions, endCurrentSignIn, signedInSessionId, withSessionOf } from '../../shared/auth';
import { backendFor } from '../../shared/backend';
import { releaseEndpointAccess } from '../../shared/endpoint-access';
import { t } from '../../shared/i18n';
import { serialQueue } from '../../shared/serial';
import type { ConnectionRecord, PendingStop } from '../../shared/storage/connections';
import { addNotice, readLocal, updateLocal } from '../../shared/storage/local';
import type { LocalState, Settings } from '../../shared/storage/schema';
import { notify } from '../notifications';
import {
  anyConnectUnderWay,
  clearDeadline,
  mutate,
  scheduleStopRetry,
  sessionsConnecting,
  type ConnectionState,
} from './store';

/** Delays between attempts while a stop is not confirmed. */
const STOP_BACKOFF_SEC = [5, 15, 30, 60, 120, 300, 600];
/**
 * remote.it's wording for "no such connection" is not documented; these are the phrasings APIs use. Only such
 * a readable refusal ends a stop without a confirmation: anything else (an unreadable reply, a refusal without
 * a reason, another reason) is retried.
 */
const CONNECTION_GONE =
  /not found|no such|does not exist|doesn't exist|unknown connection|invalid connection|no (active |live )?(connection|proxy)|already (stopped|ended|closed|terminated|expired)|\[0861\]/i;

export type StopTarget = Pick<
  PendingStop,
  'connectionId' | 'serviceId' | 'serviceName' | 'sessionId' | 'expiresAt'
>;

function targetOf(record: ConnectionRecord): StopTarget {
  return {
    connectionId: record.id,
    serviceId: record.serviceId,
    serviceName: record.serviceName,
    sessionId: record.sessionId,
    expiresAt: record.expiresAt,
  };
}

function enqueue(state: ConnectionState, target: StopTarget): void {
  state.pendingStops[target.connectionId] ??= {
    ...target,
    attempts: 0,
    nextAttemptAt: Date.now(),
    lastError: null,
  };
}

/** Removes the chosen records and queues their stops; returns the ids removed. */
function retireIn(state: ConnectionState, ids: string[]): string[] {
  const chosen = ids.filter((id) => state.connections[id]);
  for (const id of chosen) {
    enqueue(state, targetOf(state.connections[id]!));
    delete state.connections[id];
  }
  return chosen;
}

/**
 * After a write that queued stops: the queue as that write left it arms the retry before any request, so a
 * worker that dies mid-stop is woken to finish.
 */
async function armRetired(removed: string[], pendingStops: ConnectionState['pendingStops']): Promise<void> {
  await Promise.all([...removed.map(clearDeadline), scheduleStopRetry(pendingStops)]);
}

/** Removes the records and queues their stops in one write, so no stop is lost if the worker dies now. */
async function retire(ids: (state: ConnectionState) => string[]): Promise<string[]> {
  const { removed, pendingStops } = await mutate((state) => ({
    removed: retireIn(state, ids(state)),
    pendingStops: structuredClone(state.pendingStops),
  }));
  await armRetired(removed, pendingStops);
  return removed;
}

/** Forgets the chosen connections locally at once (chosen on the latest state) and stops them on remote.it. */
export async function stopChosen(choose: (state: ConnectionState) => string[]): Promise<void> {
  await retire(choose);
  await flushStops();
}

export function stopConnection(connectionId: string): Promise<void> {
  return stopChosen(() => [connectionId]);
}

export function stopAll(): Promise<void> {
  return stopChosen((state) => Object.keys(state.connections));
}

/** Stops a connection that was never recorded as live (a proxy refused after connect, a late reply). */
export async function queueStop(target: StopTarget): Promise<void> {
  await mutate((state) => enqueue(state, target));
  await armQueued();
}

async function armQueued(): Promise<void> {
  await scheduleStopRetry((await readLocal('pendingStops')).pendingStops);
  await flushStops();
}

/**
 * Records a connection just made, or, when its sign-in ended meanwhile, queues its stop instead: one write, so
 * a sign-out cannot fall between the check and the record. True when recorded.
 */
export async function recordNewConnection(record: ConnectionRecord): Promise<boolean> {
  const recorded = await updateLocal(['connections', 'pendingStops', 'secrets', 'account'], (state) => {
    if (signedInSessionId(state) === record.sessionId) state.connections[record.id] = record;
    else enqueue(state, targetOf(record));
    return !!state.connections[record.id];
  });
  if (!recorded) await armQueued();
  return recorded;
}

/**
 * Signs out, or moves to another endpoint: in one write, every connection's stop is queued, the sign-in they
 * need is kept for them and the settings change, so no connect can record a connection in between. The stops
 * are delivered after the reply, in the background.
 */
export async function leaveSession(settings?: Settings): Promise<void> {
  await sessionChanges(async () => {
    const { removed, pendingStops, previousEndpoint } = await updateLocal(
      ['connections', 'pendingStops', 'lostConnects', 'secrets', 'account', 'settings', 'retiredSessions'],
      (state) => {
        const removed = retireIn(state, Object.keys(state.connections));
        const needed = sessionsNeededBy(state);
        const previousEndpoint = state.settings.endpoint;
        // A connect under way may not have read its sign-in yet: it can only be this one.
        endCurrentSignIn(state, (sessionId) => needed.has(sessionId) || anyConnectUnderWay());
        if (settings) state.settings = settings;
        return { removed, pendingStops: structuredClone(state.pendingStops), previousEndpoint };
      },
    );
    await armRetired(removed, pendingStops);
    if (settings) await releaseUnusedEndpoints([previousEndpoint]);
  });
  void flushStops();
}

/** A custom endpoint's host permission is given back once neither the settings nor a queued stop use it. */
async function releaseUnusedEndpoints(candidates: string[]): Promise<void> {
  const { settings, retiredSessions } = await readLocal('settings', 'retiredSessions');
  const inUse = [settings.endpoint, ...Object.values(retiredSessions).map((session) => session.endpoint)];
  for (const endpoint of new Set(candidates))
    if (!inUse.includes(endpoint)) await releaseEndpointAccess(endpoint, inUse);
}

/** Retiring a sign-in and forgetting unneeded ones must not interleave, or a fresh retiree could be lost. */
const sessionChanges = serialQueue();

/**
 * Sign-ins a queued stop or a lost connect names (what it finds is stopped with it), and those with a connect
 * under way (its stop may follow).
 */
function sessionsNeededBy({
  pendingStops,
  lostConnects,
}: Pick<LocalState, 'pendingStops' | 'lostConnects'>): Set<string> {
  return new Set([
    ...[...Object.values(pendingStops), ...Object.values(lostConnects)].map((entry) => entry.sessionId),
    ...sessionsConnecting(),
  ]);
}

const flushes = serialQueue();

/** Sends every stop that is due. Flushes run one after another, so this worker never sends a stop twice. */
export function flushStops(): Promise<void> {
  return flushes(sendDueStops);
}

type Delivery = { delivered: true } | { delivered: false; error: string };

async function deliver(stop: PendingStop): Promise<Delivery> {
  try {
    await withSessionOf(stop.sessionId, (access) =>
      backendFor(access).stop(stop.serviceId, stop.connectionId),
    );
    return { delivered: true };
  } catch (error) {
    const gone =
      error instanceof ApiError && error.kind === 'api' && CONNECTION_GONE.test(error.detail.reason ?? '');
    if (gone) return { delivered: true };
    return { delivered: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function sendDueStops(): Promise<void> {
  const { pendingStops } = await readLocal('pendingStops');
  for (const stop of Object.values(pendingStops)) {
    const now = Date.now();
    if (stop.nextAttemptAt > now) continue;
    if (stop.expiresAt <= now) {
      // remote.it has ended it by now; say so only when our stop never got through.
      if (stop.lastError) {
        await addNotice('error', t('stopNeverReachedExpired', stop.serviceName, stop.lastError));
        await notify({ kind: 'stop-undelivered', stop });
      }
      await mutate((state) => void delete state.pendingStops[stop.connectionId]);
      continue;
    }
    const delivery = await deliver(stop);
    await mutate((state) => {
      const current = state.pendingStops[stop.connectionId];
      if (!current) return;
      if (delivery.delivered) {
        delete state.pendingStops[stop.connectionId];
        return;
      }
      current.attempts += 1;
      current.lastError = delivery.error;
      const delay = STOP_BACKOFF_SEC[Math.min(current.attempts - 1, STOP_BACKOFF_SEC.length - 1)]!;
      current.nextAttemptAt = Date.now() + delay * 1000;
    });
  }
  await scheduleStopRetry((await readLocal('pendingStops')).pendingStops);
  await forgetUnneededSignIns();
}

/** Drops the retired sign-ins that no queued stop and no connect under way needs, and their endpoints' access. */
export function forgetUnneededSignIns(): Promise<void> {
  return sessionChanges(async () => {
    const needed = sessionsNeededBy(await readLocal('pendingStops', 'lostConnects'));
    await releaseUnusedEndpoints(await dropRetiredSessions((sessionId) => needed.has(sessionId)));
  });
}
