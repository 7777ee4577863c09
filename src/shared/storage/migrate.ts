/** Brings stored data to the current schema. */
import browser from '../browser';
import { DEFAULT_ENDPOINT } from '../api';
import { DEFAULT_SETTINGS, SCHEMA_VERSION, parseCatalog, type LocalState } from './schema';

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
