/** Storage-level part of the corrupted-storage matrix: reads never throw and always return well-formed values. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, test } from 'vitest';
import { readWithChoices } from '../../src/shared/storage/choices';
import { checkStoredLocal, readLocal } from '../../src/shared/storage/local';
import { ALL_LOCAL_KEYS } from '../../src/shared/storage/schema';
import { checkLocal, checkPreferences, checkServices } from '../../src/shared/storage/validate';
import {
  BASELINE_CONNECTION,
  CORRUPT_BASELINE,
  CORRUPT_SHAPES,
  toldInFakeBrowser,
  type CorruptShape,
} from '../corrupt-storage';

async function prefill(shape: CorruptShape) {
  await fakeBrowser.storage.local.set({ ...CORRUPT_BASELINE.local, ...shape.local });
  await fakeBrowser.storage.sync.set({ ...CORRUPT_BASELINE.sync, ...shape.sync });
}

async function damageNotices(): Promise<string[]> {
  const { notices } = await readLocal('notices');
  return notices
    .map((notice) => notice.text)
    .filter((text) => text.startsWith('Some stored data was damaged'));
}

function withoutNoticesAndCopy(read: object): object {
  const copy: Record<string, unknown> = { ...read };
  delete copy.notices;
  delete copy.syncedCatalogCopy;
  return copy;
}

/** The shape leaves the good connection in place (it damages another entry or another key). */
function keepsBaselineConnection(shape: CorruptShape): boolean {
  const connections = shape.local?.connections;
  return (
    connections === undefined ||
    (typeof connections === 'object' && !!connections && BASELINE_CONNECTION.id in connections)
  );
}

describe('the corrupted-storage matrix, read straight from storage', () => {
  test('has at least 25 shapes, across every storage.local key and the synced catalog and preferences', () => {
    expect(CORRUPT_SHAPES.length).toBeGreaterThanOrEqual(25);
    const touched = new Set(CORRUPT_SHAPES.flatMap((shape) => Object.keys(shape.local ?? {})));
    expect([...ALL_LOCAL_KEYS].filter((key) => !touched.has(key))).toEqual([]);
    const syncKeys = new Set(CORRUPT_SHAPES.flatMap((shape) => Object.keys(shape.sync ?? {})));
    expect(syncKeys).toContain('catalog.meta');
    expect(syncKeys).toContain('preferences');
  });

  test.each(CORRUPT_SHAPES)(
    '$name: well-formed values, the rest kept, told once, repaired',
    async (shape) => {
      await prefill(shape);
      const read = await readWithChoices(...ALL_LOCAL_KEYS);

      for (const key of ALL_LOCAL_KEYS) expect(checkLocal(key, read[key]).damage, key).toEqual([]);
      expect(checkServices(read.services).damage).toEqual([]);
      expect(checkPreferences(read.preferences).damage).toEqual([]);
      if (keepsBaselineConnection(shape))
        expect(read.connections).toEqual({ [BASELINE_CONNECTION.id]: BASELINE_CONNECTION });

      const expectedNotices = toldInFakeBrowser(shape) ? 1 : 0;
      const told = await damageNotices();
      expect(told).toHaveLength(expectedNotices);
      // Never a stored secret in what the person is told.
      expect(told.join()).not.toMatch(/DEVKEY|TOKEN|HASH/);

      // Written back: the next read has nothing to repair, reads the same and tells nobody again.
      expect((await checkStoredLocal(ALL_LOCAL_KEYS)).changed).toEqual([]);
      expect(withoutNoticesAndCopy(await readWithChoices(...ALL_LOCAL_KEYS))).toEqual(
        withoutNoticesAndCopy(read),
      );
      expect(await damageNotices()).toHaveLength(expectedNotices);
    },
  );
});
