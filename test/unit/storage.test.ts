import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test, vi } from 'vitest';
import type { SavedService } from '../../src/shared/catalog';
import type { ConnectionRecord } from '../../src/shared/storage/connections';
import { DEFAULT_SETTINGS, SCHEMA_VERSION } from '../../src/shared/storage/schema';
import { migrate } from '../../src/shared/storage/migrate';
import {
  CatalogSyncingError,
  readCatalog,
  readChoices,
  updateCatalog,
  updatePreferences,
  writeCatalog,
} from '../../src/shared/storage/choices';
import { addNotice, readLocal } from '../../src/shared/storage/local';
import { makeConnection, makeService, serviceId } from '../fixtures';

function catalog(count: number, name = (index: number) => `Device "${index}" - SSH`): SavedService[] {
  return Array.from({ length: count }, (_, index) =>
    makeService({ id: serviceId(index), name: name(index), device: `Device ${index}` }),
  );
}

function connection(id: string): ConnectionRecord {
  return makeConnection({ id, serviceId: serviceId(1), proxy: 'https://proxy.example:33001' });
}

const SECRETS = {
  sessionId: 'session-1',
  developerKey: 'DEV-KEY-SECRET',
  token: 'TOKEN-SECRET',
  authhash: null,
};
function withoutSessionId(secrets: typeof SECRETS) {
  const copy: Partial<typeof SECRETS> = { ...secrets };
  delete copy.sessionId;
  return copy;
}
const ACCOUNT = { email: 'a@example.com', tokenExpiresAt: null };

async function stored(key: string): Promise<unknown> {
  return (await fakeBrowser.storage.local.get(key))[key];
}

async function noticeTexts(): Promise<string[]> {
  return ((await stored('notices')) as { text: string }[] | undefined)?.map((notice) => notice.text) ?? [];
}

describe('every read checks each entry', () => {
  test('one null connection entry is dropped, the others keep working, and the person is told once', async () => {
    await fakeBrowser.storage.local.set({
      connections: { a: connection('a'), broken: null, b: connection('b'), c: { id: 'c' } },
    });
    const { connections } = await readLocal('connections');
    expect(Object.keys(connections).sort()).toEqual(['a', 'b']);
    expect(await noticeTexts()).toEqual([
      'Some stored data was damaged and has been reset: 2 active connections.',
    ]);
    // Written back: the next read is clean and tells nobody again.
    expect(Object.keys((await stored('connections')) as object).sort()).toEqual(['a', 'b']);
    await readLocal('connections');
    expect(await noticeTexts()).toHaveLength(1);
  });

  test('damage across several keys makes one notice, never with a secret in it', async () => {
    await fakeBrowser.storage.local.set({
      secrets: { ...SECRETS, token: undefined },
      settings: { endpoint: 'https://api.example.com/apv/v27', requestTimeoutSec: Number.NaN },
      lastUsed: { [serviceId(1)]: 5, [serviceId(2)]: 'yesterday' },
      notices: [
        { at: 1, kind: 'error' },
        { at: 2, kind: 'stopped', text: 'Garage Pi: stopped.' },
      ],
    });
    const local = await readLocal('secrets', 'settings', 'lastUsed', 'notices');
    expect(local.secrets).toBeUndefined();
    expect(local.settings).toEqual({ endpoint: 'https://api.example.com/apv/v27', requestTimeoutSec: 15 });
    expect(local.lastUsed).toEqual({ [serviceId(1)]: 5 });
    const texts = await noticeTexts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(
      'Some stored data was damaged and has been reset: the sign-in (sign in again), the request time limit, ' +
        '1 recently used entry, 1 message.',
    );
    expect(texts.join()).not.toMatch(/SECRET/);
    expect(await stored('secrets')).toBeUndefined();
  });

  test.each([
    ['NaN', Number.NaN],
    ['text', 'abc'],
    ['zero', 0],
    ['huge', 1e9],
    ['fraction', 7.5],
  ])('a request time limit that is %s reads as the default', async (_, requestTimeoutSec) => {
    await fakeBrowser.storage.local.set({
      settings: { endpoint: DEFAULT_SETTINGS.endpoint, requestTimeoutSec },
    });
    expect((await readLocal('settings')).settings).toEqual(DEFAULT_SETTINGS);
  });

  test('an endpoint that is not an http(s) URL reads as the default, keeping a good time limit', async () => {
    await fakeBrowser.storage.local.set({
      settings: { endpoint: 'x'.repeat(100_000), requestTimeoutSec: 20 },
    });
    expect((await readLocal('settings')).settings).toEqual({ ...DEFAULT_SETTINGS, requestTimeoutSec: 20 });
  });

  test('a sign-in stored before sessions had ids gets one, the same for every reader, without a notice', async () => {
    const withoutId = withoutSessionId(SECRETS);
    await fakeBrowser.storage.local.set({ secrets: withoutId, account: ACCOUNT });
    const [first, second] = await Promise.all([readLocal('secrets'), readLocal('secrets')]);
    expect(first.secrets?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.secrets?.sessionId).toBe(first.secrets?.sessionId);
    expect(((await stored('secrets')) as { sessionId: string }).sessionId).toBe(first.secrets?.sessionId);
    expect(await noticeTexts()).toEqual([]);
  });

  test('retired sign-ins are kept only when whole', async () => {
    const good = { endpoint: DEFAULT_SETTINGS.endpoint, secrets: SECRETS, account: ACCOUNT };
    await fakeBrowser.storage.local.set({
      retiredSessions: {
        'session-1': good,
        'session-2': { ...good, secrets: { token: 'x' } },
        'session-3': { ...good, endpoint: 42 },
      },
    });
    expect((await readLocal('retiredSessions')).retiredSessions).toEqual({ 'session-1': good });
  });

  test('a missing key reads as a fresh default each time', async () => {
    const { connecting } = await readLocal('connecting');
    connecting[serviceId(1)] = 1;
    expect((await readLocal('connecting')).connecting).toEqual({});
  });

  test('preferences: an unknown mode, a restriction to 0.0.0.0 and a negative idle limit are not used', async () => {
    await fakeBrowser.storage.sync.set({ preferences: { defaultMode: { kind: 'bogus' }, idleLimitMin: -5 } });
    await writeCatalog([
      makeService({ mode: { kind: 'restricted', ip: '0.0.0.0' } }),
      makeService({ id: serviceId(2), mode: { kind: 'restricted', ip: '203.0.113.7' } }),
    ]);
    const { services, preferences } = await readChoices();
    expect(preferences).toEqual({ defaultMode: { kind: 'latching' }, idleLimitMin: null });
    expect(services.map((service) => service.mode)).toEqual([
      { kind: 'latching' },
      { kind: 'restricted', ip: '203.0.113.7' },
    ]);
    expect(await noticeTexts()).toEqual([
      'Some stored data was damaged and has been reset: a service’s connection mode, the default connection mode, the idle limit.',
    ]);
    // Written back to sync: a second read is clean.
    await readChoices();
    expect(await noticeTexts()).toHaveLength(1);
    expect((await fakeBrowser.storage.sync.get('preferences')).preferences).toEqual({
      defaultMode: { kind: 'latching' },
      idleLimitMin: null,
    });
  });
});

function chunkItems(sync: Record<string, unknown>): [string, string][] {
  return Object.entries(sync).filter((entry): entry is [string, string] => /^catalog\.\d+$/.test(entry[0]));
}

const utf8 = (text: string) => new TextEncoder().encode(text).length;

describe('the catalog in storage.sync', () => {
  test.each([
    ['ASCII with quotes', (index: number) => `Device "${index}" - SSH <b>&</b>`],
    ['emoji', (index: number) => `🛰️ Station ${index} 👩🏽‍💻🚀`],
    ['CJK', (index: number) => `東京サーバー${index}号機・開発用`],
  ])(
    'round-trips %s names through chunks cut on code points, each item within 8,192 UTF-8 bytes',
    async (_, name) => {
      const services = catalog(60, name);
      await writeCatalog(services);
      const chunks = chunkItems(await fakeBrowser.storage.sync.get(null));
      expect(chunks.length).toBeGreaterThan(1);
      for (const [key, value] of chunks) {
        expect(utf8(key) + utf8(JSON.stringify(value))).toBeLessThanOrEqual(8192);
        // A chunk never starts or ends inside a surrogate pair.
        expect(value).toMatch(/^(?![\uDC00-\uDFFF])[\s\S]*(?<![\uD800-\uDBFF])$/);
      }
      expect(await readCatalog()).toEqual(services);
      expect(await stored('catalogFallback')).toBeUndefined();
    },
  );

  test('a smaller catalog removes the chunks it no longer needs', async () => {
    await writeCatalog(catalog(200));
    await writeCatalog(catalog(2));
    const keys = Object.keys(await fakeBrowser.storage.sync.get(null));
    expect(keys.sort()).toEqual(['catalog.0', 'catalog.meta']);
    expect(await readCatalog()).toHaveLength(2);
  });

  test('a catalog too big for sync lives in storage.local, and moves back when it shrinks', async () => {
    await writeCatalog(catalog(5000));
    expect(JSON.parse((await readLocal('catalogFallback')).catalogFallback!)).toHaveLength(5000);
    expect(await readCatalog()).toHaveLength(5000);
    await writeCatalog(catalog(3));
    expect(await stored('catalogFallback')).toBeUndefined();
    expect(await readCatalog()).toHaveLength(3);
  });

  test('when sync refuses the write (off, or over quota), the catalog is kept locally', async () => {
    vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    await writeCatalog(catalog(5));
    expect(await readCatalog()).toHaveLength(5);
    expect(JSON.parse((await readLocal('catalogFallback')).catalogFallback!)).toHaveLength(5);
  });

  test('a missing chunk: the last whole copy is read, and a save is refused rather than shrink the list', async () => {
    await writeCatalog(catalog(200));
    await fakeBrowser.storage.sync.remove('catalog.1');
    expect(await readCatalog()).toHaveLength(200);
    await expect(
      updateCatalog((services) => services.map((service) => ({ ...service, favourite: true }))),
    ).rejects.toBeInstanceOf(CatalogSyncingError);
    const sync = await fakeBrowser.storage.sync.get(null);
    expect(sync['catalog.1']).toBeUndefined();
    expect(chunkItems(sync).length).toBeGreaterThan(1);
  });

  test('a chunk from another version is detected by the hash, until the whole new snapshot arrives', async () => {
    await writeCatalog(catalog(200, (index) => `Renamed ${index}`));
    const newer = await fakeBrowser.storage.sync.get(null);
    await writeCatalog(catalog(200));
    // Another computer's snapshot half delivered: its meta and first chunk over this one's other chunks.
    await fakeBrowser.storage.sync.set({
      'catalog.meta': newer['catalog.meta'],
      'catalog.0': newer['catalog.0'],
    });
    expect((await readCatalog()).map((service) => service.name)).toEqual(
      catalog(200).map((service) => service.name),
    );
    await fakeBrowser.storage.sync.set(newer);
    expect((await readCatalog())[5]!.name).toBe('Renamed 5');
  });

  test('a catalog synced by an older version (no hash in its meta) is still read', async () => {
    const json = JSON.stringify(catalog(2));
    await fakeBrowser.storage.sync.set({
      'catalog.meta': { chunks: 2 },
      'catalog.0': json.slice(0, 50),
      'catalog.1': json.slice(50),
    });
    expect(await readCatalog()).toEqual(catalog(2));
  });

  test('saved services with bad entries keep the good ones, and the cleaned list is saved', async () => {
    await fakeBrowser.storage.local.set({
      catalogFallback: JSON.stringify([
        ...catalog(2),
        null,
        { id: 'nope', name: 1 },
        makeService({ id: serviceId(1), name: 'Copy' }),
      ]),
    });
    // The second entry with the same id is dropped too.
    expect(await readCatalog()).toEqual(catalog(2));
    expect(await noticeTexts()).toEqual([
      'Some stored data was damaged and has been reset: 3 saved services.',
    ]);
    await readCatalog();
    expect(await noticeTexts()).toHaveLength(1);
  });
});

describe('preferences', () => {
  const publicByDefault = { defaultMode: { kind: 'public' }, idleLimitMin: 30 } as const;

  test('live in storage.sync and are read back with the catalog in one pass', async () => {
    await updatePreferences(() => publicByDefault);
    await writeCatalog(catalog(2));
    expect((await fakeBrowser.storage.sync.get('preferences')).preferences).toEqual(publicByDefault);
    expect(await readChoices()).toEqual({ services: catalog(2), preferences: publicByDefault });
  });

  test('when sync refuses them they are kept locally and still read, until sync takes them again', async () => {
    const refuse = vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(new Error('sync is disabled'));
    await updatePreferences(() => publicByDefault);
    expect((await readChoices()).preferences).toEqual(publicByDefault);
    refuse.mockRestore();
    await updatePreferences((current) => ({ ...current, idleLimitMin: null }));
    expect((await readLocal('preferencesFallback')).preferencesFallback).toBeUndefined();
    expect((await readChoices()).preferences).toEqual({ ...publicByDefault, idleLimitMin: null });
  });

  test('default to IP latching with no idle limit', async () => {
    expect((await readChoices()).preferences).toEqual({
      defaultMode: { kind: 'latching' },
      idleLimitMin: null,
    });
  });
});

describe('migration', () => {
  test('a fresh install gets the schema version and reads defaults', async () => {
    await migrate();
    expect(await stored('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(await readLocal('settings', 'connections', 'pendingStops', 'notices')).toEqual({
      settings: DEFAULT_SETTINGS,
      connections: {},
      pendingStops: {},
      notices: [],
    });
  });

  test('repairs what no longer parses, keeps what does, and says so once', async () => {
    await fakeBrowser.storage.local.set({
      schemaVersion: 1,
      settings: { endpoint: 'ftp://nope', requestTimeoutSec: 'x' },
      connections: [],
      notices: 'bad',
      secrets: { token: 42 },
      account: { email: 'a@example.com' },
      catalogFallback: [...catalog(2), { id: 'bad', name: 1 }],
      lastUsed: { [serviceId(1)]: 5 },
    });
    await migrate();
    const local = await fakeBrowser.storage.local.get(null);
    expect(local.settings).toEqual(DEFAULT_SETTINGS);
    expect(local.connections).toEqual({});
    expect(local.secrets).toBeUndefined();
    expect(local.account).toBeUndefined();
    expect(JSON.parse(local.catalogFallback as string)).toEqual(catalog(2));
    expect(local.lastUsed).toEqual({ [serviceId(1)]: 5 });
    expect(local.notices).toHaveLength(1);
  });

  test('gives a sign-in without a session id one, and keeps it', async () => {
    const withoutId = withoutSessionId(SECRETS);
    await fakeBrowser.storage.local.set({ schemaVersion: 1, secrets: withoutId, account: ACCOUNT });
    await migrate();
    const { secrets } = await readLocal('secrets');
    expect(secrets).toEqual({ ...withoutId, sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await migrate();
    expect((await readLocal('secrets')).secrets).toEqual(secrets);
  });

  test('runs at every start: when the data is current it writes nothing', async () => {
    await migrate();
    await addNotice('stopped', 'Garage Pi: stopped.');
    const set = vi.spyOn(fakeBrowser.storage.local, 'set');
    const remove = vi.spyOn(fakeBrowser.storage.local, 'remove');
    await migrate();
    await migrate();
    expect(set).not.toHaveBeenCalled();
    expect(remove).not.toHaveBeenCalled();
  });

  test('leaves data written by a newer version alone', async () => {
    await fakeBrowser.storage.local.set({
      schemaVersion: SCHEMA_VERSION + 1,
      settings: { endpoint: 'future' },
    });
    await migrate();
    expect(await stored('settings')).toEqual({ endpoint: 'future' });
  });
});

describe('the serial queue', () => {
  test('runs work in order, one at a time, and carries on after a failure', async () => {
    const { serialQueue } = await import('../../src/shared/serial');
    const queue = serialQueue();
    const events: string[] = [];
    const step = (name: string, ms: number, fail = false) =>
      queue(async () => {
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 20), step('b', 5, true), step('c', 1)]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
