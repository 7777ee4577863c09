/**
 * The storage schema: what each key of storage.local and storage.sync holds, its defaults, and the checks every
 * read applies. Secrets and machine-local state live in storage.local; what the person chose (saved services
 * and their settings, preferences) lives in storage.sync so it follows their profile, and falls back to
 * storage.local when sync is off or the catalog outgrows its quota. What every read checks is in validate.ts.
 */
import { DEFAULT_ENDPOINT } from '../endpoint';
import type { ConnectionMode } from '../catalog';
import type { ConnectionRecord, LostConnect, PendingStop } from './connections';

/** 2: sign-ins have a session id; the synced catalog's meta has a hash; a copy of it is kept locally. */
export const SCHEMA_VERSION = 2;

/** A sign-in with a developer key and a password (or a pasted token): v27 REST. */
export interface PasswordSecrets {
  method?: 'password';
  /** Names this sign-in: connections made with it are stopped with it, even after the person signs out. */
  sessionId: string;
  developerKey: string;
  token: string;
  /** Lets the extension renew the token without the password (which is never stored). */
  authhash: string | null;
}

/** A sign-in with an access key: GraphQL, every request signed with the secret. */
export interface AccessKeySecrets {
  method: 'access-key';
  sessionId: string;
  keyId: string;
  /** base64, as remote.it showed it. */
  secret: string;
}

/** Never leaves storage.local, never logged, never put in a URL or message. */
export type Secrets = PasswordSecrets | AccessKeySecrets;

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
  /**
   * Notifications when no popup is open and something needs the person (absent: on). Optional so that
   * preferences written before it read unchanged; read it with `wantsNotifications`.
   */
  notifications?: boolean;
  /**
   * "Connect to <ID>" on a selected service ID that is not saved adds it and connects without asking in the
   * options page first (absent: off, it asks).
   */
  connectSelectedIds?: boolean;
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
  /** Connects whose worker stopped before the reply, by service id, until they are found or given up. */
  lostConnects: Record<string, LostConnect>;
  notices: Notice[];
  lastUsed: Record<string, number>;
  /**
   * The catalog as JSON, when storage.sync cannot hold it. A string reads about 4x faster than 5,000
   * objects (npm run bench), which the popup's first paint waits for.
   */
  catalogFallback?: string;
  /** The last whole catalog read from storage.sync, as JSON: used while a sync snapshot is torn. */
  syncedCatalogCopy?: string;
  /** Preferences, when storage.sync refused them. */
  preferencesFallback?: Preferences;
  /**
   * Sign-ins the person has left (signed out, changed the endpoint) that queued stops still need, by session
   * id; each is removed once no queued stop names it.
   */
  retiredSessions: Record<string, RetiredSession>;
}

/** Everything needed to send a stop for a sign-in that is no longer the current one. */
export interface RetiredSession {
  endpoint: string;
  secrets: Secrets;
  account: Account;
}

export const DEFAULT_SETTINGS: Settings = { endpoint: DEFAULT_ENDPOINT, requestTimeoutSec: 15 };
export const DEFAULT_PREFERENCES: Preferences = { defaultMode: { kind: 'latching' }, idleLimitMin: null };
export const MAX_NOTICES = 8;

export const wantsNotifications = (preferences: Preferences): boolean => preferences.notifications ?? true;
export const connectsSelectedIds = (preferences: Preferences): boolean =>
  preferences.connectSelectedIds ?? false;

export const LOCAL_DEFAULTS: Omit<
  LocalState,
  'secrets' | 'account' | 'catalogFallback' | 'syncedCatalogCopy' | 'preferencesFallback'
> = {
  schemaVersion: SCHEMA_VERSION,
  settings: DEFAULT_SETTINGS,
  connections: {},
  pendingStops: {},
  connecting: {},
  lostConnects: {},
  notices: [],
  lastUsed: {},
  retiredSessions: {},
};

export type LocalKey = keyof LocalState;

/** Every storage.local key, including the optional ones LOCAL_DEFAULTS leaves out. */
export const ALL_LOCAL_KEYS: LocalKey[] = [
  ...(Object.keys(LOCAL_DEFAULTS) as LocalKey[]),
  'secrets',
  'account',
  'catalogFallback',
  'syncedCatalogCopy',
  'preferencesFallback',
];
