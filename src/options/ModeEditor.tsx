/** Choose a connection mode: IP latching, public (with its warning) or restricted to one IP. */
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionMode } from '../shared/catalog';
import { MODE_LABELS, describeMode } from '../shared/format';
import { isPublicIpv4 } from '../shared/modes';
import { Field, fieldAria } from './Field';

type Choice = ConnectionMode['kind'] | 'default';

interface Props {
  id: string;
  label: string;
  value: ConnectionMode | undefined;
  /** When given, "Default" is offered and means no per-service override. */
  defaultMode?: ConnectionMode;
  onChange: (mode: ConnectionMode | undefined) => void;
}

export function ModeEditor({ id, label, value, defaultMode, onChange }: Props) {
  const [choice, setChoice] = useState<Choice>(value?.kind ?? 'default');
  const [ip, setIp] = useState(value?.kind === 'restricted' ? value.ip : '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setChoice(value?.kind ?? 'default');
    if (value?.kind === 'restricted') setIp(value.ip);
  }, [value]);

  function commit(nextChoice: Choice, nextIp: string) {
    if (nextChoice === 'restricted') {
      if (!isPublicIpv4(nextIp.trim())) {
        setError(
          nextIp.trim()
            ? `${nextIp.trim()} is not a public IPv4 address. Enter the address the internet sees for the computer that will connect: private, loopback and reserved addresses cannot be used.`
            : null,
        );
        return;
      }
      setError(null);
      return onChange({ kind: 'restricted', ip: nextIp.trim() });
    }
    setError(null);
    onChange(nextChoice === 'default' ? undefined : { kind: nextChoice });
  }

  return (
    <div class="mode-editor">
      <Field id={id} label={label}>
        <select
          id={id}
          value={choice}
          onChange={(event) => {
            const next = event.currentTarget.value as Choice;
            setChoice(next);
            commit(next, ip);
          }}
        >
          {defaultMode && <option value="default">Default ({describeMode(defaultMode)})</option>}
          {(Object.keys(MODE_LABELS) as ConnectionMode['kind'][]).map((kind) => (
            <option key={kind} value={kind}>
              {MODE_LABELS[kind]}
            </option>
          ))}
        </select>
      </Field>
      {choice === 'public' && (
        <p class="warning" role="note">
          Public: anyone who has the address can connect until the connection is stopped or expires.
        </p>
      )}
      {choice === 'restricted' && (
        <Field
          id={`${id}-ip`}
          label="Allowed IP address"
          error={error}
          hint="The public IPv4 address the connection will accept, e.g. your office's."
        >
          <input
            {...fieldAria(`${id}-ip`, error, true)}
            inputMode="decimal"
            value={ip}
            onInput={(event) => setIp(event.currentTarget.value)}
            onBlur={() => commit('restricted', ip)}
            onKeyDown={(event) => event.key === 'Enter' && commit('restricted', ip)}
          />
        </Field>
      )}
    </div>
  );
}
