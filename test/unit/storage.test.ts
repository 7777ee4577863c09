import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test, vi } from 'vitest';
import type { SavedService } from '../../src/shared/catalog';
import { DEFAULT_SETTINGS, SCHEMA_VERSION } from '../../src/shared/storage/schema';
import { migrate } from '../../src/shared/storage/migrate';
import { readCatalog, readChoices, writeCatalog, writePreferences } from '../../src/shared/storage/choices';
import { readLocal } from '../../src/shared/storage/local';

function catalog(count: number): SavedService[] {
  return Array.from({ length: count }, (_, index) => {
    const hex = index.toString(16).toUpperCase().padStart(4, '0');
    return {
      id: `80:00:00:00:${hex.slice(0, 2)}:${hex.slice(2)}:2B:01`,
      name: `Device "${index}" - SSH`,
      device: `Device ${index}`,
      type: 'SSH',
      typeId: 28,
      online: true,
      source: 'account',
    };
  });
}

describe('the catalog in storage.sync', () => {
  test('round-trips through chunks that each fit the 8 KB item quota', async () => {
    const services = catalog(200);
    await writeCatalog(services);
    const sync = await fakeBrowser.storage.sync.get(null);
    const chunks = Object.entries(sync).filter(([key]) => /^catalog\.\d+$/.test(key));
    expect(chunks.length).toBeGreaterThan(1);
    for (const [key, value] of chunks)
      expect(key.length + JSON.stringify(value).length).toBeLessThanOrEqual(8192);
    expect(await readCatalog()).toEqual(services);
    expect((await fakeBrowser.storage.local.get(null)).catalogFallback).toBeUndefined();
  });

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
    expect((await fakeBrowser.storage.local.get('catalogFallback')).catalogFallback).toBeUndefined();
    expect(await readCatalog()).toHaveLength(3);
  });

  test('when sync refuses the write (off, or over quota), the catalog is kept locally', async () => {
    vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
    await writeCatalog(catalog(5));
    expect(await readCatalog()).toHaveLength(5);
    expect(JSON.parse((await readLocal('catalogFallback')).catalogFallback!)).toHaveLength(5);
  });

  test('a torn or corrupt sync copy reads as empty rather than half a list', async () => {
    await writeCatalog(catalog(200));
    await fakeBrowser.storage.sync.remove('catalog.1');
    expect(await readCatalog()).toEqual([]);
  });
});

describe('preferences', () => {
  const publicByDefault = { defaultMode: { kind: 'public' }, idleLimitMin: 30 } as const;

  test('live in storage.sync and are read back with the catalog in one pass', async () => {
    await writePreferences(publicByDefault);
    await writeCatalog(catalog(2));
    expect((await fakeBrowser.storage.sync.get('preferences')).preferences).toEqual(publicByDefault);
    expect(await readChoices()).toEqual({ services: catalog(2), preferences: publicByDefault });
  });

  test('when sync refuses them they are kept locally and still read, until sync takes them again', async () => {
    const refuse = vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(new Error('sync is disabled'));
    await writePreferences(publicByDefault);
    expect((await readChoices()).preferences).toEqual(publicByDefault);
    refuse.mockRestore();
    await writePreferences({ ...publicByDefault, idleLimitMin: null });
    expect((await readLocal('preferencesFallback')).preferencesFallback).toBeUndefined();
    expect((await readChoices()).preferences.idleLimitMin).toBeNull();
  });

  test('default to IP latching with no idle limit', async () => {
    expect((await readChoices()).preferences).toEqual({
      defaultMode: { kind: 'latching' },
      idleLimitMin: null,
    });
  });
});

describe('migration', () => {
  test('a fresh install gets defaults and the schema version', async () => {
    await migrate();
    const local = await fakeBrowser.storage.local.get(null);
    expect(local).toMatchObject({
      schemaVersion: SCHEMA_VERSION,
      settings: DEFAULT_SETTINGS,
      connections: {},
      pendingStops: {},
      notices: [],
    });
  });

  test('repairs what no longer parses and keeps what does', async () => {
    await fakeBrowser.storage.local.set({
      settings: { endpoint: 'ftp://nope', requestTimeoutSec: 'x' },
      connections: [],
      notices: 'bad',
      secrets: { token: 42 },
      account: { email: 'a@example.com' },
      catalogFallback: [...catalog(2), { id: 'bad', name: 1 }],
      lastUsed: { '80:00:00:00:00:01:2B:01': 5 },
    });
    await migrate();
    const local = await readLocal(
      'settings',
      'connections',
      'notices',
      'secrets',
      'account',
      'catalogFallback',
      'lastUsed',
    );
    expect(local.settings).toEqual(DEFAULT_SETTINGS);
    expect(local.connections).toEqual({});
    expect(local.notices).toEqual([]);
    expect(local.secrets).toBeUndefined();
    expect(local.account).toBeUndefined();
    expect(JSON.parse(local.catalogFallback!)).toHaveLength(2);
    expect(local.lastUsed).toEqual({ '80:00:00:00:00:01:2B:01': 5 });
  });

  test('leaves data written by a newer version alone', async () => {
    await fakeBrowser.storage.local.set({
      schemaVersion: SCHEMA_VERSION + 1,
      settings: { endpoint: 'future' },
    });
    await migrate();
    expect((await fakeBrowser.storage.local.get('settings')).settings).toEqual({ endpoint: 'future' });
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
