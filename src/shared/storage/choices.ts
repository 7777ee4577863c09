/**
 * What the person chose: the saved services (in storage.sync as JSON chunks under the per-item quota) and the
 * preferences, each with a storage.local fallback for when sync is off or full.
 */
import browser from '../browser';
import type { SavedService } from '../catalog';
import { serialQueue } from '../serial';
import { readLocal, writeLocal } from './local';
import {
  DEFAULT_PREFERENCES,
  parseCatalog,
  type LocalKey,
  type LocalState,
  type Preferences,
} from './schema';

const CATALOG_META = 'catalog.meta';
const CHUNK_PREFIX = 'catalog.';
/** Worst case JSON-escaping doubles a chunk; 3,900 characters stay under the 8,192-byte item quota. */
const CHUNK_CHARS = 3_900;
/** storage.sync holds 102,400 bytes; leave room for preferences. */
const SYNC_CATALOG_BUDGET = 90_000;

interface CatalogMeta {
  chunks: number;
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
