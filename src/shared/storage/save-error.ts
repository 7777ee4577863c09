/** What the person reads when a save fails: storage full is the likely cause and has its own words. */
import { t } from '../i18n';

export function describeSaveError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Chrome: "QUOTA_BYTES quota exceeded" and its per-item and per-minute kin; Firefox: QuotaExceededError.
  if (/quota/i.test(message)) return t('storageFull');
  return t('notSavedBecause', message);
}
