/**
 * What the person chose: the saved services (in storage.sync as chunks, see sync-catalog.ts) and the
 * preferences, each with a storage.local fallback for when sync is off or full. This is the one place that
 * decides between the synced copy, the local fallback and the last whole synced catalog.
 */
import browser from '../browser';
import type { SavedService } from '../catalog';
import { t } from '../i18n';
import {
  checkStoredLocal,
  getStoredLocal,
  noteDamage,
  repairLocalKeys,
  repairUnderLock,
  storeLocal,
  withNoticeIfRead,
  type CheckedLocal,
} from './local';
import { withStorageLock } from './lock';
import { DEFAULT_PREFERENCES, type LocalKey, type LocalState, type Preferences } from './schema';
import { encodeCatalog, readSyncedCatalog, staleChunkKeys } from './sync-catalog';
import { checkCatalogJson, checkPreferences, checkServices, type Checked } from './validate';

/** Local keys that hold what the person chose when storage.sync cannot: a change to them is a change of choices. */
export const CHOICE_FALLBACK_KEYS = ['catalogFallback', 'preferencesFallback'] as const;
const CHOICE_LOCAL_KEYS = [...CHOICE_FALLBACK_KEYS, 'syncedCatalogCopy'] as const;

/** The synced catalog is still arriving from another computer: saving now would write over it. */
export class CatalogSyncingError extends Error {
  constructor() {
    super(t('catalogSyncing'));
  }
}

export interface Choices {
  services: SavedService[];
  preferences: Preferences;
}

interface Sources {
  local: Partial<Record<(typeof CHOICE_LOCAL_KEYS)[number], unknown>>;
  sync: Record<string, unknown>;
}

/** `changed`: the catalog is to be stored again (damage, or an older local format). */
interface ResolvedCatalog extends Checked<SavedService[]> {
  /** The synced snapshot is torn: it must not be written over. */
  torn: boolean;
  /** A whole synced catalog that differs from the local copy of it. */
  newSyncedCopy?: string;
}

interface ResolvedChoices {
  catalog: ResolvedCatalog;
  preferences: Checked<Preferences> & { from: 'sync' | 'local' };
}

async function readSyncSnapshot(): Promise<Record<string, unknown>> {
  try {
    return await browser.storage.sync.get(null);
  } catch {
    // Sync is disabled: there is nothing synced.
    return {};
  }
}

async function readSources(): Promise<Sources> {
  const [local, sync] = await Promise.all([getStoredLocal(CHOICE_LOCAL_KEYS), readSyncSnapshot()]);
  return { local, sync };
}

/** A catalog kept as JSON text; null when there is none or it is not a list at all. */
function parseStoredCatalog(raw: unknown): Checked<SavedService[]> | null {
  // Catalogs kept locally before version 2 could be arrays rather than JSON text.
  if (Array.isArray(raw)) return { ...checkServices(raw), changed: true };
  return typeof raw === 'string' ? checkCatalogJson(raw) : null;
}

/**
 * The local fallback wins when present: it is only written while sync cannot take the catalog. Otherwise the
 * whole synced snapshot; while it is torn or missing, the last whole one seen on this computer.
 */
function resolveCatalog({ local, sync }: Sources): ResolvedCatalog {
  const synced = readSyncedCatalog(sync);
  const whole = synced.state === 'whole' ? checkCatalogJson(synced.json) : null;
  // Without a hash (written before version 2), a text that does not parse may be chunks of two versions.
  const torn = synced.state === 'torn' || (synced.state === 'whole' && !whole && !synced.verified);
  const damage: string[] = [];
  if (local.catalogFallback !== undefined) {
    const fallback = parseStoredCatalog(local.catalogFallback);
    if (fallback) return { ...fallback, torn };
    damage.push(t('damageCatalogFallback'));
  }
  if (whole && synced.state === 'whole') {
    return {
      value: whole.value,
      damage: [...damage, ...whole.damage],
      changed: damage.length > 0 || whole.changed,
      torn,
      newSyncedCopy: synced.json !== local.syncedCatalogCopy ? synced.json : undefined,
    };
  }
  if (synced.state === 'damaged' || (synced.state === 'whole' && !torn))
    damage.push(t('damageSyncedCatalog'));
  const copy = parseStoredCatalog(local.syncedCatalogCopy);
  return { value: copy?.value ?? [], damage, changed: damage.length > 0, torn };
}

/** Like the catalog: the local fallback exists only while sync refuses, so it wins when present. */
function resolvePreferences({ local, sync }: Sources): ResolvedChoices['preferences'] {
  if (local.preferencesFallback !== undefined)
    return { ...checkPreferences(local.preferencesFallback), from: 'local' };
  if (sync.preferences !== undefined) return { ...checkPreferences(sync.preferences), from: 'sync' };
  return { value: structuredClone(DEFAULT_PREFERENCES), damage: [], changed: false, from: 'sync' };
}

function resolveChoices(sources: Sources): ResolvedChoices {
  return { catalog: resolveCatalog(sources), preferences: resolvePreferences(sources) };
}

const choicesOf = ({ catalog, preferences }: ResolvedChoices): Choices => ({
  services: catalog.value,
  preferences: preferences.value,
});

/**
 * Only inside locked work. Sync first, so other computers get it; storage.local when sync is off, full, or
 * holds a torn snapshot that must not be written over.
 */
async function storeCatalog(services: SavedService[], syncAllowed: boolean): Promise<void> {
  const json = JSON.stringify(services);
  const items = syncAllowed ? encodeCatalog(json) : null;
  if (items) {
    try {
      const stale = staleChunkKeys(await readSyncSnapshot(), items);
      await browser.storage.sync.set(items);
      if (stale.length) await browser.storage.sync.remove(stale);
      await storeLocal({ catalogFallback: undefined, syncedCatalogCopy: json });
      return;
    } catch {
      // Sync is disabled or over quota: keep the catalog on this computer instead.
    }
  }
  await storeLocal({ catalogFallback: json });
}

/** Replaces the saved services (a blind write: use `updateCatalog` to change them). */
export function writeCatalog(services: SavedService[]): Promise<void> {
  return withStorageLock(async () => storeCatalog(services, !resolveCatalog(await readSources()).torn));
}

/** Only inside locked work. */
async function storePreferences(preferences: Preferences): Promise<void> {
  try {
    await browser.storage.sync.set({ preferences });
    await storeLocal({ preferencesFallback: undefined });
  } catch {
    await storeLocal({ preferencesFallback: preferences });
  }
}

/** Only inside locked work: reads the choices again and writes back what was damaged. */
async function repairChoices(): Promise<ResolvedChoices> {
  const resolved = resolveChoices(await readSources());
  const { catalog, preferences } = resolved;
  if (catalog.changed) await storeCatalog(catalog.value, !catalog.torn);
  else if (catalog.newSyncedCopy !== undefined)
    await storeLocal({ syncedCatalogCopy: catalog.newSyncedCopy });
  if (preferences.changed) {
    if (preferences.from === 'local') await storeLocal({ preferencesFallback: preferences.value });
    else await storePreferences(preferences.value);
  }
  return resolved;
}

/**
 * The given storage.local keys together with everything the person chose, in one read of each area. What is
 * damaged is repaired under the storage lock, with one notice for all of it.
 */
export async function readWithChoices<K extends LocalKey>(
  ...keys: K[]
): Promise<Pick<LocalState, K> & Choices> {
  const [local, sources] = await Promise.all([checkStoredLocal(keys), readSources()]);
  const choices = resolveChoices(sources);
  const read = { ...local.state, ...choicesOf(choices) };
  const { catalog, preferences } = choices;
  const needsRepair =
    local.changed.length || catalog.changed || catalog.newSyncedCopy !== undefined || preferences.changed;
  if (!needsRepair) return read;
  return repairUnderLock(read, async () => {
    const repairedLocal: CheckedLocal<K> = await repairLocalKeys(local.changed);
    const repairedChoices = await repairChoices();
    const noted = await noteDamage([
      ...repairedLocal.damage,
      ...repairedChoices.catalog.damage,
      ...repairedChoices.preferences.damage,
    ]);
    return withNoticeIfRead({ ...local.state, ...repairedLocal.state, ...choicesOf(repairedChoices) }, noted);
  });
}

export function readChoices(): Promise<Choices> {
  return readWithChoices();
}

export async function readCatalog(): Promise<SavedService[]> {
  return (await readChoices()).services;
}

/**
 * Changes the saved services under the storage lock, so an edit in the popup, the options page or the worker
 * never loses another's. Refuses (CatalogSyncingError) while the synced catalog is torn and no local
 * fallback holds it: a save then would write over services still arriving.
 */
export function updateCatalog(change: (services: SavedService[]) => SavedService[]): Promise<SavedService[]> {
  return withStorageLock(async () => {
    const sources = await readSources();
    const catalog = resolveCatalog(sources);
    if (catalog.torn && sources.local.catalogFallback === undefined) throw new CatalogSyncingError();
    const updated = change(catalog.value);
    await storeCatalog(updated, !catalog.torn);
    await noteDamage(catalog.damage);
    return updated;
  });
}

/** Changes the preferences under the storage lock: two pages changing different ones both keep theirs. */
export function updatePreferences(change: (preferences: Preferences) => Preferences): Promise<Preferences> {
  return withStorageLock(async () => {
    const preferences = resolvePreferences(await readSources());
    const updated = change(preferences.value);
    await storePreferences(updated);
    await noteDamage(preferences.damage);
    return updated;
  });
}
