/**
 * Connect: reuse a live connection of the service, or ask remote.it for one, record it before anything else is
 * awaited, then open its tab (web) or copy its address (port proxy).
 */
import { ApiError, type ConnectResult } from '../../shared/api';
import { currentSignIn, type CurrentSignIn } from '../../shared/auth';
import { backendFor } from '../../shared/backend';
import { isWebType, normaliseServiceId, type SavedService } from '../../shared/catalog';
import { formatDuration } from '../../shared/format';
import { t } from '../../shared/i18n';
import { hostipFor, parseMode } from '../../shared/modes';
import type { ConnectOutcome } from '../../shared/messages';
import {
  checkProxy,
  defaultCopy,
  isOpenableWebProxy,
  sshUserProblem,
  unsafeCopyReason,
} from '../../shared/proxy';
import type { ConnectionRecord } from '../../shared/storage/connections';
import { readChoices } from '../../shared/storage/choices';
import { updateLocal } from '../../shared/storage/local';
import { copyText } from '../clipboard';
import { focusTab, openTab, tabPlacement, type OpenIn, type TabPlacement } from '../tabs';
import { tabShowing } from './tab-membership';
import {
  forgetUnneededSignIns,
  queueStop,
  recordNewConnection,
  stopConnection,
  type StopTarget,
} from './stop-queue';
import {
  bootId,
  ensureHeartbeat,
  startConnect,
  mutate,
  scheduleDeadline,
  endMark,
  trackConnect,
  type ConnectTracking,
  type ConnectingMark,
} from './store';
import type { Preferences } from '../../shared/storage/schema';

/** The longest a connect may run: Chrome may stop a worker whose fetch takes 30 s. */
export const HARD_TIMEOUT_MS = 28_000;
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

const inFlight = new Map<string, Promise<ConnectOutcome>>();

export interface ConnectOptions {
  /** Where a web service's tab opens (the address bar's disposition); a new tab in front by default. */
  openIn?: OpenIn;
}

/**
 * Connects a saved service, or reuses its live connection: the one way every entry point (popup, menus,
 * shortcuts, address bar) connects. Concurrent calls for one service share one connect.
 */
export function connectService(serviceId: string, options: ConnectOptions = {}): Promise<ConnectOutcome> {
  const id = normaliseServiceId(serviceId);
  if (!id) {
    return Promise.reject(new ConnectError('invalid', t('notAServiceId', serviceId)));
  }
  let running = inFlight.get(id);
  if (!running) {
    running = connectOnce(id, options.openIn ?? 'newForegroundTab').finally(() => inFlight.delete(id));
    inFlight.set(id, running);
  }
  return running;
}

const isReusable = (record: ConnectionRecord) =>
  record.phase === 'open' && record.expiresAt - REUSE_MARGIN_MS > Date.now();

async function connectOnce(serviceId: string, openIn: OpenIn): Promise<ConnectOutcome> {
  const tracking = trackConnect();
  let failure: unknown;
  let listsConnections = false;
  // Storage is read once, the connecting mark written alongside; the request follows at once.
  const starting = startConnect(serviceId, isReusable);
  try {
    const [{ services, preferences }, signIn, start] = await Promise.all([
      readChoices(),
      currentSignIn(),
      starting,
    ]);
    tracking.signedInAs(signIn.sessionId);
    listsConnections = signIn.listsConnections;
    const service = services.find((candidate) => candidate.id === serviceId);
    if (!service) throw new ConnectError('invalid', t('notSavedService', serviceId));
    if ('live' in start) return await reuse(start.live, service, preferences.idleLimitMin, openIn);
    if (start.mark.sessionId !== signIn.sessionId)
      throw new ConnectError('signed-out', t('signedOutMeanwhile', service.name));
    return await connectNew(service, signIn, tracking, start.mark, preferences, openIn);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // Once the mark is known to be written (a read may have failed first). A request still out after the
    // time limit ends the mark itself when it settles.
    const start = await starting.catch(() => null);
    // A mark that cannot be ended (storage full) is left for the next worker, which looks for it as lost.
    if (start && 'mark' in start && !(failure instanceof ConnectError && failure.kind === 'timeout'))
      await endMark(
        serviceId,
        start.mark,
        lostConnectOf(failure, start.mark.sessionId, listsConnections),
      ).catch(() => undefined);
    tracking.done();
    // A sign-out meanwhile kept the sign-in for this connect: once it has ended, the sign-in may go.
    if (failure !== undefined) tracking.onEnded(() => void forgetUnneededSignIns());
  }
}

/**
 * The sign-in to look for a failed request's connection with: when there was no reply, or one that cannot be
 * read, remote.it may have made it all the same, and an API that lists live connections can find it.
 */
function lostConnectOf(error: unknown, sessionId: string | null, listsConnections: boolean): string | null {
  const unknownOutcome =
    error instanceof ApiError && ['network', 'timeout', 'bad-response'].includes(error.kind);
  return unknownOutcome && listsConnections ? sessionId : null;
}

async function connectNew(
  service: SavedService,
  signIn: CurrentSignIn,
  tracking: ConnectTracking,
  mark: ConnectingMark,
  preferences: Preferences,
  openIn: OpenIn,
): Promise<ConnectOutcome> {
  const serviceId = service.id;
  // The endpoint the request goes to, which the proxy it returns is checked against.
  const { sessionId, settings } = signIn;
  // Checked before connecting: a connection nobody can be handed must not be made.
  const userProblem = service.type === 'SSH' && service.sshUser ? sshUserProblem(service.sshUser) : null;
  if (userProblem) throw new ConnectError('invalid', t('changeInOptions', service.name, userProblem));

  // Re-validated here: a synced or damaged mode must never widen who can use the connection.
  const mode = parseMode(service.mode ?? preferences.defaultMode);
  const hostip = hostipFor(mode);
  const requestedAt = Date.now();
  const stopTarget = (result: ConnectResult): StopTarget => ({
    connectionId: result.connectionId,
    serviceId,
    serviceName: service.name,
    sessionId,
    expiresAt: Date.now() + result.expiresInSec * 1000,
  });
  const result = await callWithDeadline(
    settings.requestTimeoutSec * 1000,
    (timeoutMs) =>
      tracking.hold(signIn.run((access) => backendFor(access).connect(serviceId, hostip, timeoutMs))),
    {
      reply: (late) =>
        void tracking.hold(queueStop(stopTarget(late)).finally(() => endMark(serviceId, mark))),
      failure: (error) =>
        void tracking.hold(
          endMark(serviceId, mark, lostConnectOf(error, sessionId, signIn.listsConnections)),
        ),
    },
  );
  const url = checkProxy(result.proxy, settings.endpoint);
  const reverseProxy = !!url && (result.reverseProxy || (isWebType(service.type) && !url.port));
  const refusal =
    !url || (reverseProxy && !isOpenableWebProxy(url))
      ? t('proxyRefused', result.proxy || t('none'))
      : !reverseProxy
        ? unsafeCopyReason(url.href, service)
        : null;
  if (refusal) {
    // Nobody can use it, so it must not stay open on remote.it.
    await queueStop(stopTarget(result));
    throw new ConnectError('bad-response', t('connectionClosed', refusal));
  }
  const record: ConnectionRecord = {
    id: result.connectionId,
    serviceId,
    serviceName: service.name,
    proxy: url!.href,
    reverseProxy,
    mode: mode.kind,
    hostip,
    tabIds: [],
    releasedAt: null,
    phase: reverseProxy ? 'opening' : 'open',
    bootId,
    sessionId,
    startedAt: requestedAt,
    expiresAt: Date.now() + result.expiresInSec * 1000,
    idleStopAt:
      !reverseProxy && preferences.idleLimitMin ? Date.now() + preferences.idleLimitMin * 60_000 : null,
  };
  // Asked while the record is written: where the tab opens costs nothing after it.
  const placement = reverseProxy ? tabPlacement(openIn) : undefined;
  // Awaited by the tab; here only so that a failure is not reported as unhandled when no tab follows.
  void placement?.catch(() => undefined);
  // Recorded before anything else is awaited: a worker stopped from here on cannot lose the connection.
  if (!(await recordNewConnection(record))) {
    // The person signed out or moved to another endpoint while this connect was under way: its stop is queued.
    throw new ConnectError('signed-out', t('signedOutMeanwhile', service.name));
  }
  // The tab (or the copy) does not wait for the deadline, the heartbeat and the last use: they are set
  // meanwhile, and a worker that starts again re-arms them from the record.
  return await alongside(
    placement ? openInTab(record, placement) : copyAddress(record, service, false),
    Promise.all([recordUse(serviceId), scheduleDeadline(record), reverseProxy && ensureHeartbeat()]),
  );
}

/**
 * Runs an API call with a soft deadline the person sees and a hard one the request cannot outlive. What
 * settles between the two is handed to `late`: a reply, so a connection made after we gave up is not
 * orphaned, or a failure.
 */
async function callWithDeadline<T>(
  softMs: number,
  call: (hardMs: number) => Promise<T>,
  late: { reply: (value: T) => void; failure: (error: unknown) => void },
): Promise<T> {
  const hardMs = Math.min(HARD_TIMEOUT_MS, softMs + 10_000);
  const request = call(hardMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soft = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      request.then(late.reply, late.failure);
      reject(
        new ConnectError(
          'timeout',
          t('noAnswerTryAgain', formatDuration(Math.round(softMs / 1000), 'second')),
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

/** The main work's result once both have settled; the main work's failure first, then the other's. */
async function alongside<T>(main: Promise<T>, other: Promise<unknown>): Promise<T> {
  const [result, side] = await Promise.allSettled([main, other]);
  if (result.status === 'rejected') throw result.reason;
  if (side.status === 'rejected') throw side.reason;
  return result.value;
}

function recordUse(serviceId: string): Promise<void> {
  return updateLocal(['lastUsed'], ({ lastUsed }) => {
    lastUsed[serviceId] = Date.now();
  });
}

async function openInTab(
  record: ConnectionRecord,
  placement: Promise<TabPlacement>,
): Promise<ConnectOutcome> {
  let tabId: number;
  try {
    tabId = await openTab(record.proxy, await placement);
  } catch (error) {
    await stopConnection(record.id);
    throw new ConnectError('api', t('couldNotOpenTab', record.serviceName, (error as Error).message));
  }
  const stillRecorded = await mutate((state) => {
    const current = state.connections[record.id];
    if (!current) return false;
    current.tabIds = [...new Set([...current.tabIds, tabId])];
    current.phase = 'open';
    return true;
  });
  if (!stillRecorded) throw new ConnectError('api', t('stoppedWhileOpening', record.serviceName));
  return { action: 'opened-tab', reused: false, proxy: record.proxy };
}

async function copyAddress(
  record: ConnectionRecord,
  service: SavedService,
  reused: boolean,
): Promise<ConnectOutcome> {
  const choice = defaultCopy(new URL(record.proxy), service);
  const copied = await copyText(choice.text);
  return { action: 'copied', reused, proxy: record.proxy, copied: choice.text, copyFailed: !copied };
}

async function reuse(
  record: ConnectionRecord,
  service: SavedService,
  idleLimitMin: number | null,
  openIn: OpenIn,
): Promise<ConnectOutcome> {
  return alongside(handOver(record, service, idleLimitMin, openIn), recordUse(record.serviceId));
}

async function handOver(
  record: ConnectionRecord,
  service: SavedService,
  idleLimitMin: number | null,
  openIn: OpenIn,
): Promise<ConnectOutcome> {
  if (!record.reverseProxy) {
    const updated = await mutate((state) => {
      const current = state.connections[record.id];
      if (current && idleLimitMin) current.idleStopAt = Date.now() + idleLimitMin * 60_000;
      return current;
    });
    if (updated) await scheduleDeadline(updated);
    return copyAddress(record, service, true);
  }
  // A tab already shows it: brought to the front, or, asked for in the background, left where it is.
  for (const tabId of record.tabIds) {
    if (!(await tabShowing(tabId, record.proxy))) continue;
    if (openIn === 'newBackgroundTab' || (await focusTab(tabId)))
      return { action: 'opened-tab', reused: true, proxy: record.proxy };
  }
  // A tab opened on the proxy origin joins the connection by itself.
  await openTab(record.proxy, await tabPlacement(openIn));
  return { action: 'opened-tab', reused: true, proxy: record.proxy };
}
