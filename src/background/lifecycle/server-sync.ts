/**
 * Where the API can list live connections (GraphQL), the worker checks its records against remote.it: a
 * connection remote.it no longer lists is forgotten, and a connect whose reply was lost (the worker was
 * stopped, the browser crashed) is found again by its service and time and stopped. A connection this
 * extension cannot attribute to itself (the desktop app's, another browser's) is never touched.
 */
import { ApiError } from '../../shared/api';
import { withSessionOf } from '../../shared/auth';
import { backendFor, type LiveConnection } from '../../shared/backend';
import { t } from '../../shared/i18n';
import { lastRequestOf, type ConnectionRecord, type LostConnect } from '../../shared/storage/connections';
import { readChoices } from '../../shared/storage/choices';
import { addNotice, readLocal, updateLocal } from '../../shared/storage/local';
import { HARD_TIMEOUT_MS } from './connect';
import { queueStop } from './stop-queue';
import { adoptStrandedMark, mutate } from './store';

/** A record this young may not be listed yet. */
const LISTING_DELAY_MS = 60_000;
/** Listings this far apart that both leave a record out are not one late or partial answer seen twice. */
const UNLISTED_FOR_MS = 20_000;
/** How far remote.it's timestamp of a lost connect may stray from when it was asked for. */
const ATTRIBUTION_SLACK_MS = 10_000;
/** remote.it ends every connection by then: a lost connect older than this needs no search. */
const CONNECTION_LIFETIME_MS = 8 * 60 * 60_000;

/**
 * Keeps, for the worker that starts, what the stopped one was connecting: its replies are lost. A mark this
 * worker wrote (the connect that woke it) is its own connect, not a lost one.
 */
export async function rememberLostConnects(sessionId: string | null): Promise<void> {
  await updateLocal(['connecting', 'lostConnects'], (state) => {
    for (const serviceId of Object.keys(state.connecting)) adoptStrandedMark(state, serviceId, sessionId);
  });
}

function madeBy(lost: LostConnect, live: LiveConnection): boolean {
  return (
    live.serviceId.toUpperCase() === lost.serviceId &&
    live.createdAt !== null &&
    live.createdAt >= lost.requestedAt - ATTRIBUTION_SLACK_MS &&
    live.createdAt <= lastRequestOf(lost) + HARD_TIMEOUT_MS + ATTRIBUTION_SLACK_MS
  );
}

/** How long after its request a lost connect's connection may still appear on remote.it. */
const searchEnds = (lost: LostConnect) => lastRequestOf(lost) + HARD_TIMEOUT_MS + ATTRIBUTION_SLACK_MS;

/**
 * Compares one sign-in's records and lost connects with what remote.it lists as live. A lost connect is
 * looked for until its connection could no longer appear (remote.it may make it after the worker stopped);
 * one for a service being connected again right now waits, so the new connection is not taken for it.
 */
async function syncSession(sessionId: string, lost: LostConnect[]): Promise<void> {
  const live = await withSessionOf(sessionId, async (access) => {
    const { liveConnections } = backendFor(access);
    return liveConnections ? liveConnections() : null;
  });
  const { connecting } = await readLocal('connecting');
  const searchable = lost.filter((entry) => !(entry.serviceId in connecting));
  const found = live ? await applyListing(sessionId, live, searchable) : new Set<string>();
  await updateLocal(['lostConnects'], (state) => {
    // v27 cannot list connections: nothing can be found, so nothing is kept to look for. One that waits for
    // its service's connect was not looked for, so it is not done.
    for (const entry of live ? searchable : lost) {
      const done = !live || found.has(entry.serviceId) || searchEnds(entry) < Date.now();
      if (done) delete state.lostConnects[entry.serviceId];
    }
  });
}

/** Forgets records remote.it no longer lists and stops what lost connects left; returns the services found. */
async function applyListing(
  sessionId: string,
  live: LiveConnection[],
  lost: LostConnect[],
): Promise<Set<string>> {
  const listed = new Set(live.map((connection) => connection.connectionId));
  const ended = await mutate((state) => {
    const gone: ConnectionRecord[] = [];
    for (const record of Object.values(state.connections)) {
      if (record.sessionId !== sessionId) continue;
      if (listed.has(record.id)) delete record.unlistedAt;
      else if (record.startedAt >= Date.now() - LISTING_DELAY_MS) continue;
      // Left out of two listings in a row: one may have been late or partial, and a live connection
      // forgotten would stay open after its last use.
      else if (record.unlistedAt === undefined) record.unlistedAt = Date.now();
      else if (record.unlistedAt <= Date.now() - UNLISTED_FOR_MS) {
        gone.push(record);
        delete state.connections[record.id];
      }
    }
    return gone;
  });
  for (const record of ended) await addNotice('expired', t('endedOnRemoteit', record.serviceName));

  const { connections, pendingStops } = await readLocal('connections', 'pendingStops');
  const known = new Set([...Object.keys(connections), ...Object.keys(pendingStops)]);
  const { services } = await readChoices();
  const found = new Set<string>();
  for (const entry of lost) {
    const name = services.find((service) => service.id === entry.serviceId)?.name ?? entry.serviceId;
    const candidates = live.filter(
      (candidate) => !known.has(candidate.connectionId) && madeBy(entry, candidate),
    );
    if (!candidates.length) continue;
    found.add(entry.serviceId);
    // Two or more: one may be another app's, and a stop cannot be taken back; looking again will not tell.
    if (candidates.length > 1) {
      await addNotice('error', t('lostConnectAmbiguous', name));
      continue;
    }
    await queueStop({
      connectionId: candidates[0]!.connectionId,
      serviceId: entry.serviceId,
      serviceName: name,
      sessionId,
      expiresAt: Date.now() + CONNECTION_LIFETIME_MS,
    });
  }
  return found;
}

/** Every sign-in with records or lost connects, checked against remote.it; one that cannot be reached waits. */
export async function syncWithServer(): Promise<void> {
  const { connections, lostConnects, secrets } = await readLocal('connections', 'lostConnects', 'secrets');
  const now = Date.now();
  const lostBySession = new Map<string, LostConnect[]>();
  for (const entry of Object.values(lostConnects))
    if (lastRequestOf(entry) > now - CONNECTION_LIFETIME_MS)
      lostBySession.set(entry.sessionId, [...(lostBySession.get(entry.sessionId) ?? []), entry]);
  const sessions = new Set([
    ...lostBySession.keys(),
    ...Object.values(connections).map((record) => record.sessionId),
  ]);
  // Only the current sign-in is asked about its records; a retired one is only asked for its lost connects.
  for (const sessionId of sessions) {
    if (sessionId !== secrets?.sessionId && !lostBySession.has(sessionId)) continue;
    try {
      await syncSession(sessionId, lostBySession.get(sessionId) ?? []);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  await updateLocal(['lostConnects'], (state) => {
    for (const [serviceId, entry] of Object.entries(state.lostConnects))
      if (lastRequestOf(entry) <= now - CONNECTION_LIFETIME_MS) delete state.lostConnects[serviceId];
  });
}
