/**
 * The checks every read applies to stored data. Storage can hold anything (an older or newer version, a bug,
 * a hand edit, a torn sync), so each key is checked entry by entry: what is malformed is dropped or reset to
 * its default, and everything else keeps working. Each check says, in plain words and without any stored
 * value, what it had to drop, so the person can be told once.
 */
import { normaliseServiceId, type ConnectionMode, type CopyFormat, type SavedService } from '../catalog';
import { parseMode } from '../modes';
import { validateEndpoint } from '../endpoint-access';
import { plural, t, type MessageKey, type PluralKey } from '../i18n';
import { isConnectionRecord, isLostConnect, isPendingStop, type LostConnect } from './connections';
import {
  DEFAULT_PREFERENCES,
  DEFAULT_SETTINGS,
  LOCAL_DEFAULTS,
  MAX_NOTICES,
  type Account,
  type LocalKey,
  type LocalState,
  type Notice,
  type Preferences,
  type RetiredSession,
  type Secrets,
  type Settings,
} from './schema';

export interface Checked<T> {
  value: T;
  /** What was dropped or reset, for the damage notice; empty when the stored value was well-formed. */
  damage: string[];
  /** The value to keep differs from the stored one (damage, or an upgrade such as a new session id). */
  changed: boolean;
}

const clean = <T>(value: T): Checked<T> => ({ value, damage: [], changed: false });
const repaired = <T>(value: T, damage: string[], changed = damage.length > 0): Checked<T> => ({
  value,
  damage,
  changed,
});

/** Longer texts than these are not something the extension wrote: a name or message is never this long. */
const MAX_TEXT = 1_000;
const MAX_URL = 2_048;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT;

function isAcceptedEndpoint(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_URL) return false;
  const checked = validateEndpoint(value);
  return 'endpoint' in checked && checked.endpoint === value;
}

const sameMode = (a: ConnectionMode, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What a table holds, in the damage notice: the whole table, and a count of its entries. */
type Label = [all: MessageKey, some: PluralKey];

/** Entries of a keyed table that pass `isEntry`; the table itself must be an object. */
function checkTable<T>(
  raw: unknown,
  isEntry: (value: unknown, key: string) => value is T,
  [all, some]: Label,
): Checked<Record<string, T>> {
  if (!isObject(raw)) return repaired({}, [t(all)]);
  const kept: Record<string, T> = {};
  let dropped = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (isEntry(value, key)) kept[key] = value;
    else dropped++;
  }
  return dropped ? repaired(kept, [plural(some, dropped)]) : clean(kept);
}

function checkSecrets(raw: unknown, fallbackSessionId?: string): Checked<Secrets | undefined> {
  const signInAgain = repaired(undefined, [t('damageSignIn')]);
  if (!isObject(raw)) return signInAgain;
  const hasSessionId = typeof raw.sessionId === 'string' && raw.sessionId.length > 0;
  // Sign-ins stored before sessions had ids get one; that is an upgrade, not damage.
  const sessionId = hasSessionId ? (raw.sessionId as string) : (fallbackSessionId ?? crypto.randomUUID());
  if (raw.method === 'access-key') {
    if (typeof raw.keyId !== 'string' || typeof raw.secret !== 'string') return signInAgain;
    return repaired(
      { method: 'access-key', sessionId, keyId: raw.keyId, secret: raw.secret },
      [],
      !hasSessionId,
    );
  }
  if (
    !(raw.method === undefined || raw.method === 'password') ||
    typeof raw.developerKey !== 'string' ||
    typeof raw.token !== 'string' ||
    !(raw.authhash === null || raw.authhash === undefined || typeof raw.authhash === 'string')
  )
    return signInAgain;
  const secrets: Secrets = {
    sessionId,
    developerKey: raw.developerKey,
    token: raw.token,
    authhash: (raw.authhash as string | null | undefined) ?? null,
  };
  return repaired(secrets, [], !hasSessionId || raw.authhash === undefined);
}

function checkAccount(raw: unknown): Checked<Account | undefined> {
  if (
    !isObject(raw) ||
    !isText(raw.email) ||
    !(raw.tokenExpiresAt === null || isTime(raw.tokenExpiresAt)) ||
    !(raw.signedOutReason === undefined || isText(raw.signedOutReason))
  )
    return repaired(undefined, [t('damageAccount')]);
  const account: Account = { email: raw.email, tokenExpiresAt: raw.tokenExpiresAt };
  if (raw.signedOutReason !== undefined) account.signedOutReason = raw.signedOutReason;
  return clean(account);
}

function checkSettings(raw: unknown): Checked<Settings> {
  const stored = isObject(raw) ? raw : {};
  const damage: string[] = [];
  // The rules the options page applies, again: an endpoint saved by an older version (plain http to a remote
  // host, a wildcard) would carry the developer key and token in the clear or widen access.
  const endpoint = isAcceptedEndpoint(stored.endpoint) ? stored.endpoint : DEFAULT_SETTINGS.endpoint;
  if (endpoint !== stored.endpoint) damage.push(t('damageEndpoint'));
  const timeout = stored.requestTimeoutSec;
  const requestTimeoutSec =
    Number.isInteger(timeout) && (timeout as number) >= 3 && (timeout as number) <= 25
      ? (timeout as number)
      : DEFAULT_SETTINGS.requestTimeoutSec;
  if (requestTimeoutSec !== timeout) damage.push(t('damageTimeout'));
  return repaired({ endpoint, requestTimeoutSec }, damage);
}

const NOTICE_KINDS = new Set<unknown>(['expired', 'stopped', 'error']);

function isNotice(value: unknown): value is Notice {
  return (
    isObject(value) &&
    isTime(value.at) &&
    NOTICE_KINDS.has(value.kind) &&
    typeof value.text === 'string' &&
    value.text.length > 0 &&
    value.text.length <= MAX_TEXT
  );
}

function checkNotices(raw: unknown): Checked<Notice[]> {
  if (!Array.isArray(raw)) return repaired([], [t('damageNoticeList')]);
  const wellFormed = raw.filter(isNotice);
  const dropped = raw.length - wellFormed.length;
  const kept = wellFormed.slice(0, MAX_NOTICES);
  return repaired(kept, dropped ? [plural('damageNotices', dropped)] : [], kept.length !== raw.length);
}

function isRetiredSession(value: unknown, sessionId: string): value is RetiredSession {
  return (
    isObject(value) &&
    isAcceptedEndpoint(value.endpoint) &&
    checkSecrets(value.secrets, sessionId).damage.length === 0 &&
    checkAccount(value.account).damage.length === 0
  );
}

function checkRetiredSessions(raw: unknown): Checked<Record<string, RetiredSession>> {
  const checked = checkTable(raw, isRetiredSession, ['damageRetiredTable', 'damageRetired']);
  // A retired sign-in stored without its id takes the id it is filed under.
  let changed = checked.changed;
  for (const [sessionId, session] of Object.entries(checked.value)) {
    const secrets = checkSecrets(session.secrets, sessionId);
    if (!secrets.changed) continue;
    checked.value[sessionId] = {
      ...session,
      secrets: secrets.value!,
      account: checkAccount(session.account).value!,
    };
    changed = true;
  }
  return { ...checked, changed };
}

const COPY_FORMATS = new Set<unknown>(['address', 'command']);

/** A saved service with its optional settings checked; null (counted by the caller) when it cannot be used at all. */
function checkService(raw: unknown): Checked<SavedService | null> {
  if (
    !isObject(raw) ||
    typeof raw.id !== 'string' ||
    normaliseServiceId(raw.id) !== raw.id ||
    typeof raw.name !== 'string' ||
    typeof raw.type !== 'string' ||
    raw.type.length > MAX_TEXT
  )
    return repaired(null, [], true);
  const damage: string[] = [];
  const text = (value: unknown, what: MessageKey): string => {
    if (typeof value !== 'string') return '';
    if (value.length <= MAX_TEXT) return value;
    damage.push(t(what));
    return value.slice(0, MAX_TEXT);
  };
  const service: SavedService = {
    id: raw.id,
    name: text(raw.name, 'damageServiceName'),
    device: text(raw.device, 'damageDeviceName'),
    type: raw.type,
    typeId: Number.isInteger(raw.typeId) ? (raw.typeId as number) : null,
    online: typeof raw.online === 'boolean' ? raw.online : null,
    source: raw.source === 'account' ? 'account' : 'manual',
  };
  if (typeof raw.inAccount === 'boolean') service.inAccount = raw.inAccount;
  if (raw.favourite === true) service.favourite = true;
  if (raw.mode !== undefined) {
    service.mode = parseMode(raw.mode);
    if (!sameMode(service.mode, raw.mode)) damage.push(t('damageServiceMode'));
  }
  if (isText(raw.sshUser) && raw.sshUser) service.sshUser = raw.sshUser;
  if (COPY_FORMATS.has(raw.copyFormat)) service.copyFormat = raw.copyFormat as CopyFormat;
  return repaired(service, damage);
}

export function checkServices(raw: unknown): Checked<SavedService[]> {
  if (!Array.isArray(raw)) return repaired([], [t('damageServiceList')]);
  const damage = new Set<string>();
  const services: SavedService[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const entry of raw) {
    const checked = checkService(entry);
    checked.damage.forEach((what) => damage.add(what));
    // A service saved twice is shown and connected once.
    if (!checked.value || seen.has(checked.value.id)) dropped++;
    else {
      seen.add(checked.value.id);
      services.push(checked.value);
    }
  }
  if (dropped) damage.add(plural('damageServices', dropped));
  return repaired(services, [...damage]);
}

/** The catalog's JSON text; null when it is not JSON at all. */
export function checkCatalogJson(json: string): Checked<SavedService[]> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return null;
  }
  return checkServices(parsed);
}

function checkCatalogFallback(raw: unknown): Checked<string | undefined> {
  // Catalogs stored before the local copy became JSON text were arrays.
  const checked =
    typeof raw === 'string' ? checkCatalogJson(raw) : Array.isArray(raw) ? checkServices(raw) : null;
  if (!checked) return repaired(undefined, [t('damageCatalogFallback')]);
  return repaired(JSON.stringify(checked.value), checked.damage, checked.changed || typeof raw !== 'string');
}

export function checkPreferences(raw: unknown): Checked<Preferences> {
  const stored = isObject(raw) ? raw : {};
  const damage: string[] = [];
  const defaultMode =
    stored.defaultMode === undefined ? DEFAULT_PREFERENCES.defaultMode : parseMode(stored.defaultMode);
  if (stored.defaultMode !== undefined && !sameMode(defaultMode, stored.defaultMode))
    damage.push(t('damageDefaultMode'));
  const idle = stored.idleLimitMin;
  const idleLimitMin =
    idle === null || (Number.isInteger(idle) && (idle as number) > 0) ? (idle as number | null) : null;
  if (idle !== undefined && idleLimitMin !== idle) damage.push(t('damageIdleLimit'));
  if (!isObject(raw)) damage.push(t('damagePreferences'));
  const preferences: Preferences = { defaultMode, idleLimitMin };
  // Optional switches: absent means their default; anything but a boolean is damage and reads as absent.
  const switches = [
    ['notifications', 'damageNotificationsSwitch'],
    ['connectSelectedIds', 'damageSelectedIdsSwitch'],
  ] as const;
  for (const [key, what] of switches) {
    const value = stored[key];
    if (typeof value === 'boolean') preferences[key] = value;
    else if (value !== undefined) damage.push(t(what));
  }
  return repaired(preferences, damage);
}

const isTimeEntry = (value: unknown): value is number => isTime(value);
const connectionEntry = (value: unknown, key: string): value is LocalState['connections'][string] =>
  isConnectionRecord(value) && value.id === key;
const stopEntry = (value: unknown, key: string): value is LocalState['pendingStops'][string] =>
  isPendingStop(value) && value.connectionId === key;

const lostConnectEntry = (value: unknown, key: string): value is LostConnect =>
  isLostConnect(value) && value.serviceId === key;

type Check<K extends LocalKey> = (raw: unknown) => Checked<LocalState[K] | undefined>;

const CHECKS: { [K in LocalKey]: Check<K> } = {
  schemaVersion: (raw) =>
    Number.isInteger(raw) ? clean(raw as number) : repaired(LOCAL_DEFAULTS.schemaVersion, [], true),
  secrets: (raw) => checkSecrets(raw),
  account: checkAccount,
  settings: checkSettings,
  connections: (raw) => checkTable(raw, connectionEntry, ['damageConnectionTable', 'damageConnections']),
  pendingStops: (raw) => checkTable(raw, stopEntry, ['damageStopTable', 'damageStops']),
  connecting: (raw) => checkTable(raw, isTimeEntry, ['damageConnectingTable', 'damageConnecting']),
  lostConnects: (raw) => checkTable(raw, lostConnectEntry, ['damageLostTable', 'damageLost']),
  notices: checkNotices,
  lastUsed: (raw) => checkTable(raw, isTimeEntry, ['damageLastUsedTable', 'damageLastUsed']),
  catalogFallback: checkCatalogFallback,
  // Only a copy of the synced catalog: one that does not parse is ignored where it is used.
  syncedCatalogCopy: (raw) => (typeof raw === 'string' ? clean(raw) : repaired(undefined, [], true)),
  preferencesFallback: checkPreferences,
  retiredSessions: checkRetiredSessions,
};

/**
 * The stored value of one storage.local key made well-formed. An absent key reads as its default and is not
 * damage; `null`, a wrong type or a malformed entry is.
 */
export function checkLocal<K extends LocalKey>(key: K, raw: unknown): Checked<LocalState[K]> {
  if (raw === undefined) return clean((LOCAL_DEFAULTS as Partial<LocalState>)[key] as LocalState[K]);
  return CHECKS[key](raw) as Checked<LocalState[K]>;
}
