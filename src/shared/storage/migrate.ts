/** Brings stored data to the current schema. */
import browser from '../browser';
import { noteDamage, repairLocalKeys } from './local';
import { withStorageLock } from './lock';
import { ALL_LOCAL_KEYS, SCHEMA_VERSION } from './schema';

/**
 * Brings stored data to the current schema: drops entries that no longer parse (with one
 * notice), gives a sign-in without a session id one, and leaves data from a newer version untouched. Runs at
 * every worker start: when the data is already current it reads one key and writes nothing (every read checks
 * its keys anyway).
 */
export async function migrate(): Promise<void> {
  const { schemaVersion } = await browser.storage.local.get('schemaVersion');
  if (schemaVersion === SCHEMA_VERSION) return;
  await withStorageLock(async () => {
    const { schemaVersion: version } = await browser.storage.local.get('schemaVersion');
    if (typeof version === 'number' && version >= SCHEMA_VERSION) return;
    const { damage } = await repairLocalKeys(ALL_LOCAL_KEYS);
    await browser.storage.local.set({ schemaVersion: SCHEMA_VERSION });
    await noteDamage(damage);
  });
}
