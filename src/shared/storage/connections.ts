/**
 * The stored shape of live connections and of stops still to be delivered, with the checks a read applies to
 * each entry: one malformed entry must never stop the others from being tracked or stopped.
 */
import type { ConnectionMode } from '../catalog';

export interface ConnectionRecord {
  id: string;
  serviceId: string;
  serviceName: string;
  proxy: string;
  reverseProxy: boolean;
  mode: ConnectionMode['kind'];
  hostip: string;
  /** Web connections: the tabs last seen on the proxy's origin (scheme, host, port). */
  tabIds: number[];
  /** Web connections: when the last tab left the proxy's origin; it is stopped after a short grace. */
  releasedAt: number | null;
  /** "opening" while the worker that connected opens its tab; tab checks wait for it. */
  phase: 'opening' | 'open';
  /** The worker instance that created it: an "opening" left by a stopped worker is checked at once. */
  bootId: string;
  /** The sign-in that made it: its stop is sent with the same credentials, even after a sign-out. */
  sessionId: string;
  startedAt: number;
  expiresAt: number;
  /** Port proxies only: when the idle limit stops it. */
  idleStopAt: number | null;
  /** When remote.it's listing of live connections (GraphQL) first left it out; absent while it is listed. */
  unlistedAt?: number;
}

export interface PendingStop {
  connectionId: string;
  serviceId: string;
  serviceName: string;
  sessionId: string;
  expiresAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

const MODE_KINDS = new Set(['public', 'restricted', 'latching']);

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isTimeOrNull = (value: unknown) => value === null || isTime(value);

function isProxyUrl(value: unknown): boolean {
  if (!isString(value)) return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function isConnectionRecord(value: unknown): value is ConnectionRecord {
  const record = value as Partial<ConnectionRecord> | null;
  return (
    !!record &&
    typeof record === 'object' &&
    isString(record.id) &&
    isString(record.serviceId) &&
    typeof record.serviceName === 'string' &&
    isProxyUrl(record.proxy) &&
    typeof record.reverseProxy === 'boolean' &&
    MODE_KINDS.has(record.mode as string) &&
    typeof record.hostip === 'string' &&
    Array.isArray(record.tabIds) &&
    record.tabIds.every(Number.isInteger) &&
    isTimeOrNull(record.releasedAt) &&
    (record.phase === 'opening' || record.phase === 'open') &&
    typeof record.bootId === 'string' &&
    isString(record.sessionId) &&
    isTime(record.startedAt) &&
    isTime(record.expiresAt) &&
    isTimeOrNull(record.idleStopAt) &&
    (record.unlistedAt === undefined || isTime(record.unlistedAt))
  );
}

export function isPendingStop(value: unknown): value is PendingStop {
  const stop = value as Partial<PendingStop> | null;
  return (
    !!stop &&
    typeof stop === 'object' &&
    isString(stop.connectionId) &&
    isString(stop.serviceId) &&
    typeof stop.serviceName === 'string' &&
    isString(stop.sessionId) &&
    isTime(stop.expiresAt) &&
    Number.isInteger(stop.attempts) &&
    isTime(stop.nextAttemptAt) &&
    (stop.lastError === null || typeof stop.lastError === 'string')
  );
}

/**
 * A connect that a stopped worker or a crashed browser left without its reply: where the API can list live
 * connections, the one it made is found by its service and time, and stopped.
 */
export interface LostConnect {
  serviceId: string;
  /** When the request was sent (this computer's clock). */
  requestedAt: number;
  /** When several requests of the service were lost: the last one's time (`requestedAt` is the first's). */
  lastRequestedAt?: number;
  sessionId: string;
}

/** The time of a lost connect's last request. */
export const lastRequestOf = (lost: LostConnect): number => lost.lastRequestedAt ?? lost.requestedAt;

/**
 * Adds a lost request to the table: one entry per service, whose time span grows to cover every lost request
 * of the same sign-in (one of another sign-in replaces it: that sign-in may be gone).
 */
export function addLostConnect(table: Record<string, LostConnect>, lost: LostConnect): void {
  const earlier = table[lost.serviceId];
  if (earlier?.sessionId !== lost.sessionId) {
    table[lost.serviceId] = lost;
    return;
  }
  const times = [earlier.requestedAt, lastRequestOf(earlier), lost.requestedAt];
  table[lost.serviceId] = {
    ...earlier,
    requestedAt: Math.min(...times),
    lastRequestedAt: Math.max(...times),
  };
}

export function isLostConnect(value: unknown): value is LostConnect {
  const lost = value as Partial<LostConnect> | null;
  return (
    !!lost &&
    typeof lost === 'object' &&
    isString(lost.serviceId) &&
    isTime(lost.requestedAt) &&
    (lost.lastRequestedAt === undefined || isTime(lost.lastRequestedAt)) &&
    isString(lost.sessionId)
  );
}
