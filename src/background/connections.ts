/**
 * The connection lifecycle: connect, open or copy, track the tabs of each connection, and stop it on
 * remote.it when its last tab closes, when the person asks, or when an idle limit passes. Every fact lives
 * in storage.local, so any step can resume after the worker is stopped; nothing is kept in globals but
 * in-flight promises.
 */
import browser from '../shared/browser';
import { ApiError, connect as apiConnect, stopConnection as apiStop } from '../shared/api';
import { withSession } from '../shared/auth';
import { isWebType, normaliseServiceId, type ConnectionMode, type SavedService } from '../shared/catalog';
import type { ConnectOutcome } from '../shared/messages';
import { checkProxy, defaultCopy } from '../shared/proxy';
import { addNotice, readLocal, writeLocal } from '../shared/storage/local';
import { readChoices } from '../shared/storage/choices';
import type { ConnectionRecord, LocalState, PendingStop } from '../shared/storage/schema';
import { serialQueue } from '../shared/serial';
import { copyText } from './clipboard';
import { focusTab, openTabNextToCurrent, tabExists } from './tabs';

/** This worker instance; records it left "opening" are recognisable after a restart. */
const bootId = crypto.randomUUID();

export const CONNECTION_ALARM_PREFIX = 'connection:';
export const RETRY_STOPS_ALARM = 'retry-stops';
/**
 * While tabs hold connections or stops are queued, the worker is woken every 30 s (Chrome's minimum) to
 * reconcile: an event lost while the worker was being torn down is made up for within half a minute.
 */
export const HEARTBEAT_ALARM = 'reconcile';
const HEARTBEAT_MINUTES = 0.5;
/** Delays between attempts to stop a connection while remote.it cannot be reached. */
const STOP_BACKOFF_SEC = [5, 15, 30, 60, 120, 300, 600];
/** The longest a connect may run: Chrome may stop a worker whose fetch takes 30 s. */
const HARD_TIMEOUT_MS = 28_000;
/** A connection this close to expiry is not worth reusing. */
const REUSE_MARGIN_MS = 30_000;

export class ConnectError extends Error {
  constructor(
    readonly kind: ApiError['kind'] | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

// --- serialised state changes -------------------------------------------------------------------

type ConnectionState = Pick<LocalState, 'connections' | 'pendingStops'>;
/** Every read-modify-write of the connection tables goes through this one queue. */
const queued = serialQueue();

function mutate<T>(change: (state: ConnectionState) => T | Promise<T>): Promise<T> {
  return queued(async () => {
    const state = await readLocal('connections', 'pendingStops');
    const result = await change(state);
    await writeLocal(state);
    return result;
  });
}

function setConnecting(serviceId: string, connecting: boolean): Promise<void> {
  return queued(async () => {
    const { connecting: table } = await readLocal('connecting');
    if (connecting) table[serviceId] = Date.now();
    else delete table[serviceId];
    await writeLocal({ connecting: table });
  });
}

// --- alarms -------------------------------------------------------------------------------------

function nextDeadline(record: ConnectionRecord): number {
  return record.idleStopAt !== null ? Math.min(record.expiresAt, record.idleStopAt) : record.expiresAt;
}

async function scheduleDeadline(record: ConnectionRecord): Promise<void> {
  await browser.alarms.create(`${CONNECTION_ALARM_PREFIX}${record.id}`, {
    when: Math.max(Date.now() + 1000, nextDeadline(record)),
  });
}

async function scheduleStopRetry(pending: Record<string, PendingStop>): Promise<void> {
  const due = Object.values(pending).map((stop) => stop.nextAttemptAt);
  if (due.length)
    await browser.alarms.create(RETRY_STOPS_ALARM, { when: Math.max(Date.now() + 1000, Math.min(...due)) });
  else await browser.alarms.clear(RETRY_STOPS_ALARM);
}

async function ensureHeartbeat(): Promise<void> {
  if (!(await browser.alarms.get(HEARTBEAT_ALARM))) {
    await browser.alarms.create(HEARTBEAT_ALARM, { periodInMinutes: HEARTBEAT_MINUTES });
  }
}

// --- connect ------------------------------------------------------------------------------------

function hostipFor(mode: ConnectionMode): string {
  switch (mode.kind) {
    case 'public':
      return '0.0.0.0';
    case 'restricted':
      return mode.ip;
    case 'latching':
      return '255.255.255.255';
  }
}

const inFlight = new Map<string, Promise<ConnectOutcome>>();

/** Connects a saved service, or reuses its live connection. Concurrent calls for one service share one connect. */
export function connectService(serviceId: string): Promise<ConnectOutcome> {
  const id = normaliseServiceId(serviceId);
  if (!id) {
    return Promise.reject(
      new ConnectError(
        'invalid',
        `"${serviceId}" is not a remote.it service ID (eight hex pairs separated by colons).`,
      ),
    );
  }
  let running = inFlight.get(id);
  if (!running) {
    running = connectOnce(id).finally(() => inFlight.delete(id));
    inFlight.set(id, running);
  }
  return running;
}

async function connectOnce(serviceId: string): Promise<ConnectOutcome> {
  const [{ services, preferences }, { connections, settings }] = await Promise.all([
    readChoices(),
    readLocal('connections', 'settings'),
  ]);
  const service = services.find((candidate) => candidate.id === serviceId);
  if (!service) throw new ConnectError('invalid', `The service ${serviceId} is not in your saved services.`);
  const live = Object.values(connections).find(
    (record) =>
      record.serviceId === serviceId &&
      record.phase === 'open' &&
      record.expiresAt - REUSE_MARGIN_MS > Date.now(),
  );
  if (live) return reuse(live, service, preferences.idleLimitMin);

  const mode = service.mode ?? preferences.defaultMode;
  const hostip = hostipFor(mode);
  await setConnecting(serviceId, true);
  try {
    const result = await callWithDeadline(
      settings.requestTimeoutSec * 1000,
      (timeoutMs) =>
        withSession((config, token) => apiConnect({ ...config, timeoutMs }, token, serviceId, hostip)),
      (late) => void stopOnServer(serviceId, late.connectionId).catch(() => undefined),
    );
    const url = checkProxy(result.proxy, settings.endpoint);
    if (!url) {
      await stopOnServer(serviceId, result.connectionId).catch(() => undefined);
      throw new ConnectError(
        'bad-response',
        `remote.it returned a proxy address this extension will not open (${result.proxy || 'none'}). The connection was closed.`,
      );
    }
    const reverseProxy = result.reverseProxy || (isWebType(service.type) && !url.port);
    const now = Date.now();
    const record: ConnectionRecord = {
      id: result.connectionId,
      serviceId,
      serviceName: service.name,
      proxy: url.href,
      reverseProxy,
      mode: mode.kind,
      hostip,
      tabIds: [],
      phase: reverseProxy ? 'opening' : 'open',
      bootId,
      browserSession: await currentBrowserSession(),
      startedAt: now,
      expiresAt: now + result.expiresInSec * 1000,
      idleStopAt: !reverseProxy && preferences.idleLimitMin ? now + preferences.idleLimitMin * 60_000 : null,
    };
    await mutate((state) => {
      state.connections[record.id] = record;
    });
    if (reverseProxy) await ensureHeartbeat();
    await recordUse(serviceId);
    await scheduleDeadline(record);
    return reverseProxy ? await openInTab(record) : await copyAddress(record, service, url, false);
  } finally {
    await setConnecting(serviceId, false);
  }
}

/**
 * Runs an API call with a soft deadline the person sees and a hard one the request cannot outlive. A reply
 * that lands between the two is handed to `onLate`, so a connection made after we gave up is not orphaned.
 */
async function callWithDeadline<T>(
  softMs: number,
  call: (hardMs: number) => Promise<T>,
  onLate: (value: T) => void,
): Promise<T> {
  const hardMs = Math.min(HARD_TIMEOUT_MS, softMs + 10_000);
  const request = call(hardMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soft = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      request.then(onLate, () => undefined);
      reject(
        new ConnectError(
          'timeout',
          `remote.it did not answer within ${Math.round(softMs / 1000)} seconds. Try again in a moment.`,
        ),
      );
    }, softMs);
  });
  try {
    return await Promise.race([request, soft]);
  } finally {
    clearTimeout(timer);
  }
}

async function recordUse(serviceId: string): Promise<void> {
  const { lastUsed } = await readLocal('lastUsed');
  lastUsed[serviceId] = Date.now();
  await writeLocal({ lastUsed });
}

async function openInTab(record: ConnectionRecord): Promise<ConnectOutcome> {
  let tabId: number;
  try {
    tabId = await openTabNextToCurrent(record.proxy);
  } catch (error) {
    await stopConnection(record.id);
    throw new ConnectError(
      'api',
      `The browser could not open a tab for ${record.serviceName}: ${(error as Error).message}`,
    );
  }
  const stillRecorded = await mutate((state) => {
    const current = state.connections[record.id];
    if (!current) return false;
    current.tabIds = [...new Set([...current.tabIds, tabId])];
    current.phase = 'open';
    return true;
  });
  if (!stillRecorded)
    throw new ConnectError('api', `${record.serviceName} was stopped while its tab was opening.`);
  return { action: 'opened-tab', reused: false, proxy: record.proxy };
}

async function copyAddress(
  record: ConnectionRecord,
  service: SavedService,
  url: URL,
  reused: boolean,
): Promise<ConnectOutcome> {
  const choice = defaultCopy(url, service);
  const copied = await copyText(choice.text);
  return { action: 'copied', reused, proxy: record.proxy, copied: choice.text, copyFailed: !copied };
}

async function reuse(
  record: ConnectionRecord,
  service: SavedService,
  idleLimitMin: number | null,
): Promise<ConnectOutcome> {
  await recordUse(record.serviceId);
  if (!record.reverseProxy) {
    const updated = await mutate((state) => {
      const current = state.connections[record.id];
      if (current && idleLimitMin) current.idleStopAt = Date.now() + idleLimitMin * 60_000;
      return current;
    });
    if (updated) await scheduleDeadline(updated);
    return copyAddress(record, service, new URL(record.proxy), true);
  }
  for (const tabId of record.tabIds) {
    if (await focusTab(tabId)) return { action: 'opened-tab', reused: true, proxy: record.proxy };
  }
  const tabId = await openTabNextToCurrent(record.proxy);
  await mutate((state) => {
    const current = state.connections[record.id];
    if (current) current.tabIds = [tabId];
  });
  return { action: 'opened-tab', reused: true, proxy: record.proxy };
}

// --- tabs -----------------------------------------------------------------------------------------

/** A tab opened from a connection's tab (a link with target=_blank) keeps that connection alive too. */
export function onTabCreated(tab: { id?: number; openerTabId?: number }): Promise<void> {
  const { id, openerTabId } = tab;
  if (id === undefined || openerTabId === undefined) return Promise.resolve();
  return mutate((state) => {
    for (const record of Object.values(state.connections)) {
      if (record.tabIds.includes(openerTabId) && !record.tabIds.includes(id)) record.tabIds.push(id);
    }
  });
}

export async function onTabRemoved(tabId: number): Promise<void> {
  const orphaned = await mutate((state) => {
    const emptied: ConnectionRecord[] = [];
    for (const record of Object.values(state.connections)) {
      if (!record.tabIds.includes(tabId)) continue;
      record.tabIds = record.tabIds.filter((id) => id !== tabId);
      if (record.tabIds.length === 0 && record.phase === 'open') emptied.push(record);
    }
    return emptied;
  });
  for (const record of orphaned) await stopConnection(record.id);
}

// --- stop -----------------------------------------------------------------------------------------

async function stopOnServer(serviceId: string, connectionId: string): Promise<void> {
  await withSession((config, token) => apiStop(config, token, serviceId, connectionId));
}

/** Forgets the connection locally at once and queues the stop on remote.it, which is retried until it lands. */
export async function stopConnection(connectionId: string): Promise<void> {
  const removed = await mutate((state) => {
    const record = state.connections[connectionId];
    if (!record) return null;
    delete state.connections[connectionId];
    state.pendingStops[connectionId] = {
      connectionId,
      serviceId: record.serviceId,
      serviceName: record.serviceName,
      expiresAt: record.expiresAt,
      attempts: 0,
      nextAttemptAt: Date.now(),
      lastError: null,
    };
    return record;
  });
  if (removed) {
    await browser.alarms.clear(`${CONNECTION_ALARM_PREFIX}${connectionId}`);
    // Armed before the request: if the worker dies mid-stop, the alarm wakes it to finish.
    await scheduleStopRetry((await readLocal('pendingStops')).pendingStops);
  }
  await flushStops();
}

export async function stopAll(): Promise<void> {
  const { connections } = await readLocal('connections');
  for (const id of Object.keys(connections)) await stopConnection(id);
}

const flushes = serialQueue();

/** Sends every stop that is due. Flushes run one after another, so this worker never sends a stop twice. */
export function flushStops(): Promise<void> {
  return flushes(sendDueStops);
}

async function sendDueStops(): Promise<void> {
  const { pendingStops } = await readLocal('pendingStops');
  for (const stop of Object.values(pendingStops)) {
    if (stop.nextAttemptAt > Date.now()) continue;
    let outcome: 'done' | 'retry' = 'done';
    let lastError: string | null = null;
    if (stop.expiresAt > Date.now()) {
      try {
        await stopOnServer(stop.serviceId, stop.connectionId);
      } catch (error) {
        const transient = error instanceof ApiError && (error.transient || error.kind === 'signed-out');
        lastError = error instanceof Error ? error.message : String(error);
        if (transient) outcome = 'retry';
        // A definite refusal is not worth retrying (it is often "no such connection": already gone), but it is
        // never dropped silently.
        else
          await addNotice(
            'error',
            `${stop.serviceName}: remote.it did not stop the connection. ${lastError} If it is still open, it ends when it expires.`,
          );
      }
    }
    await mutate((state) => {
      const current = state.pendingStops[stop.connectionId];
      if (!current) return;
      if (outcome === 'done') {
        delete state.pendingStops[stop.connectionId];
        return;
      }
      current.attempts += 1;
      current.lastError = lastError;
      const delay = STOP_BACKOFF_SEC[Math.min(current.attempts - 1, STOP_BACKOFF_SEC.length - 1)]!;
      current.nextAttemptAt = Date.now() + delay * 1000;
    });
  }
  await scheduleStopRetry((await readLocal('pendingStops')).pendingStops);
}

// --- deadlines and reconciliation -------------------------------------------------------------------

async function expire(record: ConnectionRecord): Promise<void> {
  await mutate((state) => {
    delete state.connections[record.id];
  });
  await browser.alarms.clear(`${CONNECTION_ALARM_PREFIX}${record.id}`);
  await addNotice('expired', `${record.serviceName}: the connection expired.`);
}

export async function onConnectionAlarm(connectionId: string): Promise<void> {
  const { connections } = await readLocal('connections');
  const record = connections[connectionId];
  if (!record) return;
  const now = Date.now();
  if (record.expiresAt <= now) return expire(record);
  if (record.idleStopAt !== null && record.idleStopAt <= now) {
    await stopConnection(record.id);
    await addNotice('stopped', `${record.serviceName}: stopped after the idle limit.`);
    return;
  }
  await scheduleDeadline(record);
}

/** An id for this browser session: storage.session is emptied when the browser restarts, tab ids too. */
async function currentBrowserSession(): Promise<string> {
  const stored = (await browser.storage.session.get('browserSession')) as { browserSession?: string };
  if (stored.browserSession) return stored.browserSession;
  const browserSession = crypto.randomUUID();
  await browser.storage.session.set({ browserSession });
  return browserSession;
}

/**
 * Brings stored connections in line with the browser after the worker or the browser starts: expired ones
 * are dropped, those whose tabs are gone (or were left half-open by a stopped worker) are stopped.
 */
export async function reconcile(): Promise<void> {
  const browserSession = await currentBrowserSession();
  const { connections } = await readLocal('connections');
  const now = Date.now();
  for (const record of Object.values(connections)) {
    if (record.expiresAt <= now) {
      await expire(record);
      continue;
    }
    if (!record.reverseProxy) {
      await scheduleDeadline(record);
      continue;
    }
    const abandoned = record.phase === 'opening' && record.bootId !== bootId;
    // A connect of this very worker is still opening its tab.
    if (record.phase === 'opening' && !abandoned) continue;
    const tabsValid = record.browserSession === browserSession && !abandoned;
    const dead = tabsValid ? await deadTabs(record.tabIds) : record.tabIds;
    // Decided on fresh state: a tab opened from it meanwhile keeps it alive.
    const orphaned = await mutate((state) => {
      const current = state.connections[record.id];
      if (!current) return false;
      current.tabIds = current.tabIds.filter((tabId) => !dead.includes(tabId));
      return current.tabIds.length === 0;
    });
    if (orphaned) await stopConnection(record.id);
    else await scheduleDeadline(record);
  }
  await flushStops();
  const after = await readLocal('connections', 'pendingStops');
  const needsHeartbeat =
    Object.values(after.connections).some((record) => record.reverseProxy) ||
    Object.keys(after.pendingStops).length > 0;
  if (needsHeartbeat) await ensureHeartbeat();
  else await browser.alarms.clear(HEARTBEAT_ALARM);
}

/** A new worker has no connect in flight: clear what a stopped one may have left marked, then reconcile. */
export async function onWorkerStart(): Promise<void> {
  await writeLocal({ connecting: {} });
  await reconcile();
}

async function deadTabs(tabIds: number[]): Promise<number[]> {
  const exists = await Promise.all(tabIds.map(tabExists));
  return tabIds.filter((_, index) => !exists[index]);
}
