/**
 * storage.local: checked reads that repair what they find damaged, writes, read-modify-writes under the
 * storage lock, and the notices the popup shows.
 */
import browser from '../browser';
import { t } from '../i18n';
import { isStorageLockHeldHere, withStorageLock } from './lock';
import { ALL_LOCAL_KEYS, MAX_NOTICES, type LocalKey, type LocalState, type Notice } from './schema';
import { checkLocal } from './validate';

export interface CheckedLocal<K extends LocalKey> {
  state: Pick<LocalState, K>;
  /** What was dropped, in plain words, for the damage notice. */
  damage: string[];
  /** Keys whose well-formed value differs from what is stored. */
  changed: K[];
}

interface ReadBatch {
  keys: Set<string>;
  values: Promise<Record<string, unknown>>;
}
let openBatch: ReadBatch | null = null;

/**
 * storage.local as stored. Reads started in the same turn go to the browser as one: a connect's reads (its
 * service, the connections, the sign-in, the settings) cost one round trip instead of four.
 */
export function getStoredLocal(keys: readonly string[]): Promise<Record<string, unknown>> {
  const batch = openBatch ?? startBatch();
  keys.forEach((key) => batch.keys.add(key));
  return batch.values.then((values) =>
    Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]])),
  );
}

/** A batch that takes keys until this turn ends, then reads them all. */
function startBatch(): ReadBatch {
  const keys = new Set<string>();
  const values = Promise.resolve().then(() => {
    openBatch = null;
    return browser.storage.local.get([...keys]);
  });
  return (openBatch = { keys, values });
}

/** The given keys as stored, each made well-formed; nothing is written. */
export async function checkStoredLocal<K extends LocalKey>(keys: readonly K[]): Promise<CheckedLocal<K>> {
  const stored = await getStoredLocal(keys);
  const result: CheckedLocal<K> = { state: {} as Pick<LocalState, K>, damage: [], changed: [] };
  for (const key of keys) {
    const checked = checkLocal(key, stored[key]);
    // A copy: defaults are shared, and callers change what they read.
    result.state[key] = structuredClone(checked.value);
    result.damage.push(...checked.damage);
    if (checked.changed) result.changed.push(key);
  }
  return result;
}

/** Sets the values given and removes the keys given as undefined (storage cannot hold undefined). */
export async function storeLocal(values: Partial<LocalState>): Promise<void> {
  const entries = Object.entries(values);
  const removed = entries.filter(([, value]) => value === undefined).map(([key]) => key);
  const kept = Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  if (Object.keys(kept).length) await browser.storage.local.set(kept);
  if (removed.length) await browser.storage.local.remove(removed);
}

function damageNoticeText(damage: string[]): string {
  return t('damageNotice', damage.join(', '));
}

function prependNotice(notices: Notice[], kind: Notice['kind'], text: string): Notice[] {
  return [{ at: Date.now(), kind, text }, ...notices].slice(0, MAX_NOTICES);
}

/**
 * Only inside locked work: tells the person, in one notice, what a repair dropped. Returns the notices as now
 * stored, for a read that included them (the page that found the damage shows it at once); none when nothing
 * was dropped.
 */
export async function noteDamage(damage: string[]): Promise<Pick<LocalState, 'notices'> | undefined> {
  if (!damage.length) return undefined;
  const { state } = await checkStoredLocal(['notices']);
  const notices = prependNotice(state.notices, 'error', damageNoticeText(damage));
  await storeLocal({ notices });
  return { notices };
}

/** The values a read returns after a repair: the notice it added is among them when the read asked for them. */
export function withNoticeIfRead<S extends object>(
  state: S,
  noted: Pick<LocalState, 'notices'> | undefined,
): S {
  return noted && 'notices' in state ? { ...state, ...noted } : state;
}

/**
 * Runs a repair under the storage lock: it reads again (another context may have repaired or changed the data
 * meanwhile), writes what it cleaned and returns the values as stored. Inside locked work of this context it
 * runs afterwards (the lock is not re-entrant) and `meanwhile` is returned. A repair that cannot be written
 * (storage full) still leaves the read with well-formed values.
 */
export async function repairUnderLock<T>(meanwhile: T, repair: () => Promise<T>): Promise<T> {
  const locked = withStorageLock(repair);
  if (isStorageLockHeldHere()) {
    void locked.catch(() => undefined);
    return meanwhile;
  }
  return locked.catch(() => meanwhile);
}

/** Only inside locked work: reads the keys again and writes back those whose well-formed value differs. */
export async function repairLocalKeys<K extends LocalKey>(keys: readonly K[]): Promise<CheckedLocal<K>> {
  const checked = await checkStoredLocal(keys);
  await storeLocal(Object.fromEntries(checked.changed.map((key) => [key, checked.state[key]])));
  return checked;
}

/**
 * The given keys, each well-formed: malformed entries are dropped and malformed values read as their
 * defaults. When something was dropped, the cleaned values are written back and one notice tells the person.
 */
export async function readLocal<K extends LocalKey>(...keys: K[]): Promise<Pick<LocalState, K>> {
  const checked = await checkStoredLocal(keys);
  if (!checked.changed.length) return checked.state;
  return repairUnderLock(checked.state, async () => {
    const { state, damage } = await repairLocalKeys(checked.changed);
    return withNoticeIfRead({ ...checked.state, ...state }, await noteDamage(damage));
  });
}

/**
 * Reads the given keys, lets `change` modify them in place, and writes them back, all under the storage lock:
 * no other context's update of the same keys can be lost in between. Keep the change short: the popup, the
 * options page and the worker all wait for it. Must not be nested in other locked work.
 */
export function updateLocal<K extends LocalKey, T>(
  keys: K[],
  change: (state: Pick<LocalState, K>) => T | Promise<T>,
): Promise<T> {
  return withStorageLock(async () => {
    const { state, damage, changed } = await checkStoredLocal(keys);
    const before = keys.map((key) => JSON.stringify(state[key]));
    const result = await change(state);
    // Only what the change or a repair touched is written: fewer bytes to store and fewer change events.
    const touched = keys.filter(
      (key, index) => changed.includes(key) || JSON.stringify(state[key]) !== before[index],
    );
    await storeLocal(Object.fromEntries(touched.map((key) => [key, state[key]])));
    await noteDamage(damage);
    return result;
  });
}

/** A blind write of whole values; use `updateLocal` to change a value based on what is stored. */
export function writeLocal(values: Partial<LocalState>): Promise<void> {
  if (isStorageLockHeldHere()) return storeLocal(values);
  return withStorageLock(() => storeLocal(values));
}

export function addNotice(kind: Notice['kind'], text: string): Promise<void> {
  return updateLocal(['notices'], (state) => {
    state.notices = prependNotice(state.notices, kind, text);
  });
}

export function dismissNotice(dismissed: Notice): Promise<void> {
  return updateLocal(['notices'], (state) => {
    state.notices = state.notices.filter(
      (notice) =>
        notice.at !== dismissed.at || notice.kind !== dismissed.kind || notice.text !== dismissed.text,
    );
  });
}

/**
 * Only what a page shows and nothing depends on: clearing them loses nothing the person would miss. (The
 * connecting marks are not: a stopped worker's marks are how its lost connects are found again.)
 */
const DISPLAY_ONLY_KEYS = ['notices', 'lastUsed'] as const;
/** The sign-in is never reset from a page: only the person signs out. */
const SIGN_IN_KEYS = new Set<LocalKey>(['secrets', 'account', 'retiredSessions']);

/**
 * The error pages' "Reset damaged data": clears what the pages only display, and rewrites every other
 * non-secret key that is stored in the wrong shape. Connections, queued stops and the sign-in are kept.
 */
export function resetDamagedData(): Promise<void> {
  return withStorageLock(async () => {
    await browser.storage.local.remove([...DISPLAY_ONLY_KEYS]);
    await repairLocalKeys(ALL_LOCAL_KEYS.filter((key) => !SIGN_IN_KEYS.has(key)));
  });
}
