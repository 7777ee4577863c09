/** Defaults for new connections: the mode, and an idle limit for port proxies. */
import { useEffect, useState } from 'preact/hooks';
import { updatePreferences } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import type { Preferences } from '../shared/storage/schema';
import { Field, FormMessage } from './Field';
import { ModeEditor } from './ModeEditor';

const IDLE_CHOICES: [number | null, string][] = [
  [null, 'Never (until stopped or expired)'],
  [15, '15 minutes'],
  [30, '30 minutes'],
  [60, '1 hour'],
  [120, '2 hours'],
  [240, '4 hours'],
];

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
      <h2 id="connections-heading">Connections</h2>
      <ModeEditor
        id="default-mode"
        label="Default connection mode for SSH, RDP, VNC and other port services"
        value={preferences.defaultMode}
        onChange={(mode) => save({ defaultMode: mode ?? { kind: 'latching' } })}
      />
      <p class="muted">
        IP latching (recommended): the first computer to connect locks the address to itself. Web (HTTP and
        HTTPS) services always get a public link, whatever the mode: that is how remote.it's reverse proxies
        work.
      </p>
      <Field id="idle-limit" label="Stop port connections not used again for">
        <select
          id="idle-limit"
          value={idleLimit}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setIdleLimit(value);
            save({ idleLimitMin: value === 'null' ? null : Number(value) });
          }}
        >
          {IDLE_CHOICES.map(([minutes, label]) => (
            <option key={label} value={String(minutes)}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <FormMessage error={error} />
    </section>
  );
}
