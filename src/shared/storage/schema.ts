/**
 * The storage schema: what each key of storage.local and storage.sync holds, its defaults, and the checks every
 * read applies. Secrets and machine-local state live in storage.local; what the person chose (saved services
 * and their settings, preferences) lives in storage.sync so it follows their profile, and falls back to
 * storage.local when sync is off or the catalog outgrows its quota.
 */
import { DEFAULT_ENDPOINT } from '../api';
import { normaliseServiceId, type ConnectionMode, type SavedService } from '../catalog';

export const SCHEMA_VERSION = 1;

/** Never leaves storage.local, never logged, never put in a URL or message. */
export interface Secrets {
  developerKey: string;
  token: string;
  /** Lets the extension renew the token without the password (which is never stored). */
  authhash: string | null;
}

/** Who is signed in; safe to show. */
export interface Account {
  email: string;
  /** When the token stops working (ms); null when unknown (pasted token). */
  tokenExpiresAt: number | null;
  /** Set when renewal failed and the person must sign in again. */
  signedOutReason?: string;
}

export interface Settings {
  endpoint: string;
  requestTimeoutSec: number;
}

export interface Preferences {
  defaultMode: ConnectionMode;
  /** Port proxies are stopped after this many minutes without being used again; null = never. */
  idleLimitMin: number | null;
}

export interface ConnectionRecord {
  id: string;
  serviceId: string;
  serviceName: string;
  proxy: string;
  reverseProxy: boolean;
  mode: ConnectionMode['kind'];
  hostip: string;
  /** Tabs showing the connection: the one it opened and any opened from those. */
  tabIds: number[];
  /** "opening" until its tab exists; a record left "opening" by a dead worker is stopped. */
  phase: 'opening' | 'open';
  /** The worker instance that created it. */
  bootId: string;
  /** Tab ids are only valid in the browser session that issued them. */
  browserSession: string;
  startedAt: number;
  expiresAt: number;
  /** Port proxies only: when the idle limit stops it. */
  idleStopAt: number | null;
}

export interface PendingStop {
  connectionId: string;
  serviceId: string;
  serviceName: string;
  expiresAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface Notice {
  at: number;
  kind: 'expired' | 'stopped' | 'error';
  text: string;
}

export interface LocalState {
  schemaVersion: number;
  secrets?: Secrets;
  account?: Account;
  settings: Settings;
  connections: Record<string, ConnectionRecord>;
  pendingStops: Record<string, PendingStop>;
  /** Services whose connect is under way (serviceId → start time), so any popup can show it. */
  connecting: Record<string, number>;
  notices: Notice[];
  lastUsed: Record<string, number>;
  /**
   * The catalog as JSON, when storage.sync cannot hold it. A string reads about 4x faster than 5,000
   * objects (npm run bench), which the popup's first paint waits for.
   */
  catalogFallback?: string;
  /** Preferences, when storage.sync refused them. */
  preferencesFallback?: Preferences;
}

export const DEFAULT_SETTINGS: Settings = { endpoint: DEFAULT_ENDPOINT, requestTimeoutSec: 15 };
export const DEFAULT_PREFERENCES: Preferences = { defaultMode: { kind: 'latching' }, idleLimitMin: null };
export const MAX_NOTICES = 8;

export const LOCAL_DEFAULTS: Omit<LocalState, 'secrets' | 'account' | 'catalogFallback'> = {
  schemaVersion: SCHEMA_VERSION,
  settings: DEFAULT_SETTINGS,
  connections: {},
  pendingStops: {},
  connecting: {},
  notices: [],
  lastUsed: {},
};

export type LocalKey = keyof LocalState;

export function isSavedService(value: unknown): value is SavedService {
  const service = value as Partial<SavedService> | null;
  return (
    !!service &&
    typeof service.id === 'string' &&
    normaliseServiceId(service.id) === service.id &&
    typeof service.name === 'string' &&
    typeof service.type === 'string'
  );
}

/** The saved services in a JSON text, without entries that do not parse; null when the text is not a list. */
export function parseCatalog(json: string | undefined): SavedService[] | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter(isSavedService) : null;
  } catch {
    return null;
  }
}
