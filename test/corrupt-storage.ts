/**
 * Damaged stored data, one shape at a time, for every key of storage.local and storage.sync: what an older or
 * newer version, a bug, a hand edit or a half-delivered sync could leave. Each shape replaces only the keys it
 * names; write `CORRUPT_BASELINE` first for a signed-in person with saved services and a live connection.
 * The popup, the options page and the worker must all stay usable with every one of them.
 */
import type { ConnectionRecord } from '../src/shared/storage/connections';
import { encodeCatalog } from '../src/shared/storage/sync-catalog';
import { makeConnection, makeService, serviceId } from './fixtures';

export interface CorruptShape {
  name: string;
  local?: Record<string, unknown>;
  sync?: Record<string, unknown>;
  /**
   * A read of the damaged key tells the person (one "Some stored data was damaged…" notice). False for
   * shapes that are not damage to them: a snapshot still arriving, a cache that is rebuilt.
   */
  told: boolean;
}

/**
 * Whether a read of the shape tells the person, in the in-memory fake browser of the unit and DOM tests. The
 * fake drops a key set to null where a browser stores null, so there a shape of nulls only reads as absent.
 */
export function toldInFakeBrowser(shape: CorruptShape): boolean {
  const values = [...Object.values(shape.local ?? {}), ...Object.values(shape.sync ?? {})];
  return shape.told && !values.every((value) => value === null);
}

export const BASELINE_SERVICES = [
  makeService(),
  makeService({ id: serviceId(2), name: 'NAS - Web UI', device: 'NAS', type: 'HTTP', typeId: 7 }),
];

export const BASELINE_CONNECTION: ConnectionRecord = makeConnection({
  serviceId: BASELINE_SERVICES[0]!.id,
  serviceName: BASELINE_SERVICES[0]!.name,
  proxy: 'https://proxy-1.rt3.io:33001',
  startedAt: 1_700_000_000_000,
  // Far ahead, so the shapes do not expire while a test runs.
  expiresAt: 4_000_000_000_000,
});

/** The synced catalog items for a JSON text, as the extension writes them. */
function syncedCatalog(json: string): Record<string, unknown> {
  return encodeCatalog(json)!;
}

export const CORRUPT_BASELINE: { local: Record<string, unknown>; sync: Record<string, unknown> } = {
  local: {
    schemaVersion: 2,
    secrets: { sessionId: 'session-1', developerKey: 'DEVKEY', token: 'TOKEN', authhash: 'HASH' },
    account: { email: 'demo@example.com', tokenExpiresAt: null },
    settings: { endpoint: 'https://api.remot3.it/apv/v27', requestTimeoutSec: 15 },
    connections: { [BASELINE_CONNECTION.id]: BASELINE_CONNECTION },
    pendingStops: {},
    connecting: {},
    notices: [],
    lastUsed: {},
    retiredSessions: {},
  },
  sync: syncedCatalog(JSON.stringify(BASELINE_SERVICES)),
};

const connection = (changes: Record<string, unknown>) => ({
  connections: {
    [BASELINE_CONNECTION.id]: BASELINE_CONNECTION,
    broken: { ...BASELINE_CONNECTION, ...changes },
  },
});
const settings = (changes: Record<string, unknown>) => ({
  settings: { endpoint: 'https://api.remot3.it/apv/v27', requestTimeoutSec: 15, ...changes },
});
const catalogWith = (entries: unknown[]) => syncedCatalog(JSON.stringify([...BASELINE_SERVICES, ...entries]));
const HUGE = 'x'.repeat(1_000_000);

export const CORRUPT_SHAPES: CorruptShape[] = [
  // Connections and the stop queue: one bad entry must not stop the others from being tracked or stopped.
  { name: 'connections: null', local: { connections: null }, told: true },
  { name: 'connections: an array', local: { connections: [BASELINE_CONNECTION] }, told: true },
  { name: 'connections: a string', local: { connections: 'connection-1' }, told: true },
  {
    name: 'connections: one entry null',
    local: { connections: { [BASELINE_CONNECTION.id]: BASELINE_CONNECTION, broken: null } },
    told: true,
  },
  {
    name: 'connections: an entry with fields missing',
    local: connection({ proxy: undefined, tabIds: undefined }),
    told: true,
  },
  {
    name: 'connections: an entry with expiresAt NaN',
    local: connection({ id: 'broken', expiresAt: Number.NaN }),
    told: true,
  },
  {
    name: 'connections: an entry with an unlisted time that is not a time',
    local: connection({ id: 'broken', unlistedAt: 'yesterday' as unknown as number }),
    told: true,
  },
  {
    name: 'connections: an entry with a proxy that is not a URL',
    local: connection({ id: 'broken', proxy: 'not a url' }),
    told: true,
  },
  { name: 'pendingStops: one entry null', local: { pendingStops: { 'connection-9': null } }, told: true },
  { name: 'pendingStops: an array', local: { pendingStops: [1, 2, 3] }, told: true },
  {
    name: 'connecting: a value that is not a time',
    local: { connecting: { [serviceId(1)]: 'soon' } },
    told: true,
  },
  { name: 'connecting: null', local: { connecting: null }, told: true },
  {
    name: 'lostConnects: an entry whose last request time is not a time',
    local: {
      lostConnects: {
        [serviceId(1)]: { serviceId: serviceId(1), requestedAt: 1, lastRequestedAt: 'later', sessionId: 's' },
      },
    },
    told: true,
  },
  {
    name: 'lostConnects: an entry filed under another service',
    local: { lostConnects: { [serviceId(1)]: { serviceId: serviceId(2), requestedAt: 1, sessionId: 's' } } },
    told: true,
  },
  // Notices.
  { name: 'notices: a string', local: { notices: 'bad' }, told: true },
  { name: 'notices: a notice with no text', local: { notices: [{ at: 1, kind: 'error' }] }, told: true },
  {
    name: 'notices: a notice with at NaN and an unknown kind',
    local: { notices: [{ at: Number.NaN, kind: 'shout', text: 'x' }] },
    told: true,
  },
  { name: 'notices: a huge text', local: { notices: [{ at: 1, kind: 'error', text: HUGE }] }, told: true },
  { name: 'lastUsed: an array', local: { lastUsed: [serviceId(1)] }, told: true },
  { name: 'lastUsed: a NaN time', local: { lastUsed: { [serviceId(1)]: Number.NaN } }, told: true },
  // Settings: each field falls back on its own.
  { name: 'settings: null', local: { settings: null }, told: true },
  { name: 'settings: the endpoint a number', local: settings({ endpoint: 42 }), told: true },
  {
    name: 'settings: a plain http endpoint on a remote host (an older version allowed it)',
    local: settings({ endpoint: 'http://api.example.com/apv/v27' }),
    told: true,
  },
  { name: 'settings: a wildcard endpoint', local: settings({ endpoint: 'https://*/apv/v27' }), told: true },
  {
    name: 'settings: the endpoint a huge string',
    local: settings({ endpoint: `https://${HUGE}` }),
    told: true,
  },
  { name: 'settings: requestTimeoutSec NaN', local: settings({ requestTimeoutSec: Number.NaN }), told: true },
  { name: "settings: requestTimeoutSec 'abc'", local: settings({ requestTimeoutSec: 'abc' }), told: true },
  { name: 'settings: requestTimeoutSec 0', local: settings({ requestTimeoutSec: 0 }), told: true },
  { name: 'settings: requestTimeoutSec 1e9', local: settings({ requestTimeoutSec: 1e9 }), told: true },
  // The sign-in: malformed means absent (sign in again), never a crash.
  {
    name: 'secrets: without a token',
    local: { secrets: { sessionId: 'session-1', developerKey: 'DEVKEY', authhash: null } },
    told: true,
  },
  { name: 'secrets: a string', local: { secrets: 'TOKEN' }, told: true },
  { name: 'account: an array', local: { account: ['demo@example.com'] }, told: true },
  { name: 'account: the email a number', local: { account: { email: 5, tokenExpiresAt: null } }, told: true },
  {
    name: 'retiredSessions: an entry without secrets',
    local: { retiredSessions: { old: { endpoint: 'https://api.remot3.it/apv/v27' } } },
    told: true,
  },
  { name: 'retiredSessions: null', local: { retiredSessions: null }, told: true },
  { name: 'schemaVersion: a string', local: { schemaVersion: 'two' }, told: false },
  // The catalog kept on this computer.
  {
    name: 'catalogFallback: JSON truncated',
    local: { catalogFallback: JSON.stringify(BASELINE_SERVICES).slice(0, 40) },
    told: true,
  },
  { name: 'catalogFallback: a number', local: { catalogFallback: 42 }, told: true },
  {
    name: 'catalogFallback: null and malformed entries',
    local: { catalogFallback: JSON.stringify([null, { id: 'nope' }, ...BASELINE_SERVICES]) },
    told: true,
  },
  {
    name: 'preferencesFallback: mode {kind:"bogus"}, idle limit a string',
    local: { preferencesFallback: { defaultMode: { kind: 'bogus' }, idleLimitMin: 'x' } },
    told: true,
  },
  { name: 'syncedCatalogCopy: a number', local: { syncedCatalogCopy: 7 }, told: false },
  // The synced catalog and preferences.
  {
    name: 'sync: meta pointing at missing chunks',
    sync: { 'catalog.meta': { chunks: 3, hash: 'abc' } },
    told: false,
  },
  { name: 'sync: catalog JSON truncated', sync: syncedCatalog('[{"id":"80:00'), told: true },
  {
    name: 'sync: an older version’s snapshot (no hash) that does not parse',
    sync: { 'catalog.meta': { chunks: 1 }, 'catalog.0': '[{"id":"80:00' },
    told: false,
  },
  { name: 'sync: meta null', sync: { 'catalog.meta': null }, told: true },
  { name: 'sync: the catalog an object, not a list', sync: syncedCatalog('{"services":[]}'), told: true },
  {
    name: 'sync: a service with mode {kind:"bogus"}',
    sync: catalogWith([makeService({ id: serviceId(3), mode: { kind: 'bogus' } as never })]),
    told: true,
  },
  {
    name: "sync: a service restricted to ip '0.0.0.0'",
    sync: catalogWith([makeService({ id: serviceId(3), mode: { kind: 'restricted', ip: '0.0.0.0' } })]),
    told: true,
  },
  {
    name: 'sync: a service that is null, one without an id',
    sync: catalogWith([null, { name: 'No id', type: 'SSH' }]),
    told: true,
  },
  {
    name: 'sync: a service with a huge name',
    sync: syncedCatalog(JSON.stringify([makeService({ name: 'n'.repeat(5_000) })])),
    told: true,
  },
  {
    name: 'sync: preferences with mode {kind:"bogus"}',
    sync: { preferences: { defaultMode: { kind: 'bogus' }, idleLimitMin: null } },
    told: true,
  },
  {
    name: "sync: preferences restricted to ip '0.0.0.0', idle limit -5",
    sync: { preferences: { defaultMode: { kind: 'restricted', ip: '0.0.0.0' }, idleLimitMin: -5 } },
    told: true,
  },
  { name: 'sync: preferences an array', sync: { preferences: [] }, told: true },
  {
    name: 'sync: preferences with the notifications switch a string, the selected-ID switch a number',
    sync: {
      preferences: {
        defaultMode: { kind: 'latching' },
        idleLimitMin: null,
        notifications: 'yes',
        connectSelectedIds: 1,
      },
    },
    told: true,
  },
];
