/** Defaults for new connections: the mode, and an idle limit for port proxies. */
import { useEffect, useState } from 'preact/hooks';
import { formatDuration } from '../shared/format';
import { t } from '../shared/i18n';
import { updatePreferences } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import type { Preferences } from '../shared/storage/schema';
import { Field, FormMessage } from './Field';
import { ModeEditor } from './ModeEditor';

const IDLE_CHOICES = [null, 15, 30, 60, 120, 240];

function idleLabel(minutes: number | null): string {
  if (minutes === null) return t('idleNever');
  return minutes < 60 ? formatDuration(minutes, 'minute') : formatDuration(minutes / 60, 'hour');
}

export function ConnectionSection({ preferences }: { preferences: Preferences }) {
  const [error, setError] = useState<string | null>(null);
  // A refused save keeps the choice on screen, next to the error.
  const [idleLimit, setIdleLimit] = useState(String(preferences.idleLimitMin));
  useEffect(() => setIdleLimit(String(preferences.idleLimitMin)), [preferences.idleLimitMin]);
  const save = (change: Partial<Preferences>) =>
    void updatePreferences((current) => ({ ...current, ...change })).then(
      () => setError(null),
      (failure) => setError(describeSaveError(failure)),
    );

  return (
    <section id="connections" aria-labelledby="connections-heading">
      <h2 id="connections-heading">{t('connections')}</h2>
      <ModeEditor
        id="default-mode"
        label={t('defaultModeLabel')}
        value={preferences.defaultMode}
        onChange={(mode) => save({ defaultMode: mode ?? { kind: 'latching' } })}
      />
      <p class="muted">{t('modesExplained')}</p>
      <Field id="idle-limit" label={t('idleLimitLabel')}>
        <select
          id="idle-limit"
          value={idleLimit}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setIdleLimit(value);
            save({ idleLimitMin: value === 'null' ? null : Number(value) });
          }}
        >
          {IDLE_CHOICES.map((minutes) => (
            <option key={String(minutes)} value={String(minutes)}>
              {idleLabel(minutes)}
            </option>
          ))}
        </select>
      </Field>
      <FormMessage error={error} />
    </section>
  );
}
