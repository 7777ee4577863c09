/** Defaults for new connections: the mode, and an idle limit for port proxies. */
import { updatePreferences } from '../shared/storage/choices';
import type { Preferences } from '../shared/storage/schema';
import { Field } from './Field';
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
  return (
    <section id="connections" aria-labelledby="connections-heading">
      <h2 id="connections-heading">Connections</h2>
      <ModeEditor
        id="default-mode"
        label="Default connection mode for SSH, RDP, VNC and other port services"
        value={preferences.defaultMode}
        onChange={(mode) =>
          void updatePreferences((current) => ({ ...current, defaultMode: mode ?? { kind: 'latching' } }))
        }
      />
      <p class="muted">
        IP latching (recommended): the first computer to connect locks the address to itself. Web (HTTP and
        HTTPS) services always get a public link, whatever the mode: that is how remote.it's reverse proxies
        work.
      </p>
      <Field id="idle-limit" label="Stop port connections not used again for">
        <select
          id="idle-limit"
          value={String(preferences.idleLimitMin)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            void updatePreferences((current) => ({
              ...current,
              idleLimitMin: value === 'null' ? null : Number(value),
            }));
          }}
        >
          {IDLE_CHOICES.map(([minutes, label]) => (
            <option key={label} value={String(minutes)}>
              {label}
            </option>
          ))}
        </select>
      </Field>
    </section>
  );
}
