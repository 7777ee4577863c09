/**
 * The storage schema. Secrets and machine-local state live in storage.local; what the person chose (saved
 * services and their settings, preferences) lives in storage.sync so it follows their profile, and falls
 * back to storage.local when sync is off or the catalog outgrows its quota.
 */
import browser from './browser';
import { serialQueue } from './serial';
import { DEFAULT_ENDPOINT } from './api';
import { normaliseServiceId, type ConnectionMode, type SavedService } from './catalog';

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
const MAX_NOTICES = 8;

const LOCAL_DEFAULTS: Omit<LocalState, 'secrets' | 'account' | 'catalogFallback'> = {
  schemaVersion: SCHEMA_VERSION,
  settings: DEFAULT_SETTINGS,
  connections: {},
  pendingStops: {},
  connecting: {},
  notices: [],
  lastUsed: {},
};

type LocalKey = keyof LocalState;

export async function readLocal<K extends LocalKey>(...keys: K[]): Promise<Pick<LocalState, K>> {
  const stored = (await browser.storage.local.get(keys)) as Partial<LocalState>;
  const result = {} as Pick<LocalState, K>;
  for (const key of keys) {
    result[key] = (stored[key] ?? (LOCAL_DEFAULTS as Partial<LocalState>)[key]) as LocalState[K];
  }
  return result;
}

export async function writeLocal(values: Partial<LocalState>): Promise<void> {
  await browser.storage.local.set(values);
}

export async function addNotice(kind: Notice['kind'], text: string): Promise<void> {
  const { notices } = await readLocal('notices');
  await writeLocal({ notices: [{ at: Date.now(), kind, text }, ...notices].slice(0, MAX_NOTICES) });
}

// --- Catalog in storage.sync, split into chunks under the per-item quota ---

const CATALOG_META = 'catalog.meta';
const CHUNK_PREFIX = 'catalog.';
/** Worst case JSON-escaping doubles a chunk; 3,900 characters stay under the 8,192-byte item quota. */
const CHUNK_CHARS = 3_900;
/** storage.sync holds 102,400 bytes; leave room for preferences. */
const SYNC_CATALOG_BUDGET = 90_000;

interface CatalogMeta {
  chunks: number;
}

function isSavedService(value: unknown): value is SavedService {
  const service = value as Partial<SavedService> | null;
  return (
    !!service &&
    typeof service.id === 'string' &&
    normaliseServiceId(service.id) === service.id &&
    typeof service.name === 'string' &&
    typeof service.type === 'string'
  );
}

function parseCatalog(json: string | undefined): SavedService[] | null {
  if (!json) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter(isSavedService) : null;
  } catch {
    return null;
  }
}

/** Reassembles the synced catalog from a storage.sync snapshot; null when it is absent or torn. */
function catalogFromSync(snapshot: Record<string, unknown>): SavedService[] | null {
  const meta = snapshot[CATALOG_META] as CatalogMeta | undefined;
  if (!meta || !Number.isInteger(meta.chunks)) return null;
  let json = '';
  for (let index = 0; index < meta.chunks; index++) {
    const chunk = snapshot[`${CHUNK_PREFIX}${index}`];
    if (typeof chunk !== 'string') return null;
    json += chunk;
  }
  return parseCatalog(json);
}

/** Like the catalog: the local fallback exists only while sync refuses, so it wins when present. */
function resolvePreferences(
  fallback: Preferences | undefined,
  syncSnapshot: Record<string, unknown>,
): Preferences {
  return {
    ...DEFAULT_PREFERENCES,
    ...(fallback ?? (syncSnapshot.preferences as Partial<Preferences> | undefined)),
  };
}

/** The local fallback wins when present: it is only written when sync could not take the catalog. */
function resolveCatalog(fallback: string | undefined, syncSnapshot: Record<string, unknown>): SavedService[] {
  return parseCatalog(fallback) ?? catalogFromSync(syncSnapshot) ?? [];
}

async function readSyncSnapshot(): Promise<Record<string, unknown>> {
  try {
    return await browser.storage.sync.get(null);
  } catch {
    return {};
  }
}

export async function writeCatalog(services: SavedService[]): Promise<void> {
  const json = JSON.stringify(services);
  const snapshot = await readSyncSnapshot();
  const previousChunks = (snapshot[CATALOG_META] as CatalogMeta | undefined)?.chunks ?? 0;
  if (json.length <= SYNC_CATALOG_BUDGET) {
    const items: Record<string, unknown> = {};
    let chunks = 0;
    for (let offset = 0; offset < json.length || chunks === 0; offset += CHUNK_CHARS) {
      items[`${CHUNK_PREFIX}${chunks++}`] = json.slice(offset, offset + CHUNK_CHARS);
    }
    items[CATALOG_META] = { chunks } satisfies CatalogMeta;
    try {
      await browser.storage.sync.set(items);
      const stale = Array.from(
        { length: Math.max(0, previousChunks - chunks) },
        (_, index) => `${CHUNK_PREFIX}${chunks + index}`,
      );
      if (stale.length) await browser.storage.sync.remove(stale);
      await browser.storage.local.remove('catalogFallback');
      return;
    } catch {
      // Sync is disabled or over quota: keep the catalog on this machine instead.
    }
  }
  await writeLocal({ catalogFallback: json });
}

export interface Choices {
  services: SavedService[];
  preferences: Preferences;
}

/** Local keys that hold what the person chose when storage.sync cannot: a change to them is a change of choices. */
export const CHOICE_FALLBACK_KEYS = ['catalogFallback', 'preferencesFallback'] as const;

/**
 * The given storage.local keys together with everything the person chose, in one read of each area. This is
 * the one place that decides between the synced copy and the local fallback.
 */
export async function readWithChoices<K extends LocalKey>(
  ...keys: K[]
): Promise<Pick<LocalState, K> & Choices> {
  const [local, snapshot] = await Promise.all([
    readLocal<K | (typeof CHOICE_FALLBACK_KEYS)[number]>(...keys, ...CHOICE_FALLBACK_KEYS),
    readSyncSnapshot(),
  ]);
  return {
    ...local,
    services: resolveCatalog(local.catalogFallback, snapshot),
    preferences: resolvePreferences(local.preferencesFallback, snapshot),
  };
}

export function readChoices(): Promise<Choices> {
  return readWithChoices();
}

export async function readCatalog(): Promise<SavedService[]> {
  return (await readChoices()).services;
}

export async function writePreferences(preferences: Preferences): Promise<void> {
  try {
    await browser.storage.sync.set({ preferences });
    await browser.storage.local.remove('preferencesFallback');
  } catch {
    await writeLocal({ preferencesFallback: preferences });
  }
}

/** Every write of the catalog goes through one queue, so concurrent edits in one context do not interleave. */
const catalogWrites = serialQueue();
export function updateCatalog(change: (services: SavedService[]) => SavedService[]): Promise<SavedService[]> {
  return catalogWrites(async () => {
    const updated = change(await readCatalog());
    await writeCatalog(updated);
    return updated;
  });
}

/**
 * Brings stored data to the current schema: fills defaults, drops entries that no longer parse, and leaves
 * data from a newer version untouched. Run on install and update.
 */
export async function migrate(): Promise<void> {
  const stored = (await browser.storage.local.get(null)) as Partial<LocalState> & Record<string, unknown>;
  const version = typeof stored.schemaVersion === 'number' ? stored.schemaVersion : 0;
  if (version > SCHEMA_VERSION) return;
  const updates: Partial<LocalState> = { schemaVersion: SCHEMA_VERSION };
  const settings = { ...DEFAULT_SETTINGS, ...(stored.settings ?? {}) };
  if (typeof settings.endpoint !== 'string' || !/^https?:\/\//.test(settings.endpoint))
    settings.endpoint = DEFAULT_ENDPOINT;
  if (!Number.isFinite(settings.requestTimeoutSec))
    settings.requestTimeoutSec = DEFAULT_SETTINGS.requestTimeoutSec;
  updates.settings = settings;
  for (const key of ['connections', 'pendingStops', 'connecting', 'lastUsed'] as const) {
    const value = stored[key];
    if (!value || typeof value !== 'object' || Array.isArray(value)) updates[key] = {};
  }
  if (!Array.isArray(stored.notices)) updates.notices = [];
  const secrets = stored.secrets;
  if (secrets && (typeof secrets.token !== 'string' || typeof secrets.developerKey !== 'string')) {
    await browser.storage.local.remove(['secrets', 'account']);
  }
  if (stored.catalogFallback !== undefined) {
    const catalog = parseCatalog(
      typeof stored.catalogFallback === 'string'
        ? stored.catalogFallback
        : JSON.stringify(stored.catalogFallback),
    );
    if (catalog) updates.catalogFallback = JSON.stringify(catalog);
    else await browser.storage.local.remove('catalogFallback');
  }
  await browser.storage.local.set(updates);
}
