/** The messages the worker and the storage checks leave for the person, each with Dismiss. */
import { useState } from 'preact/hooks';
import { t } from './i18n';
import { dismissNotice } from './storage/local';
import { describeSaveError } from './storage/save-error';
import type { Notice } from './storage/schema';

export function Notices({ notices }: { notices: Notice[] }) {
  const [dismissError, setDismissError] = useState<string | null>(null);
  const dismiss = (notice: Notice) =>
    void dismissNotice(notice).then(
      () => setDismissError(null),
      (error) => setDismissError(describeSaveError(error)),
    );

  return (
    <>
      {notices.map((notice, index) => (
        <div
          // Two notices can share a millisecond.
          key={`${notice.at}-${index}`}
          class={`notice ${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
        >
          <span>{notice.text}</span>
          <button
            type="button"
            class="link"
            onClick={() => dismiss(notice)}
            aria-label={t('dismissNamed', notice.text)}
          >
            {t('dismiss')}
          </button>
        </div>
      ))}
      {dismissError && (
        <p class="notice error" role="alert">
          {dismissError}
        </p>
      )}
    </>
  );
}
