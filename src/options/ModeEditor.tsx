/** Choose a connection mode: IP latching, public (with its warning) or restricted to one IP. */
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionMode } from '../shared/catalog';
import { MODE_KINDS, describeMode, modeLabel } from '../shared/format';
import { t } from '../shared/i18n';
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
        setError(nextIp.trim() ? t('notPublicIp', nextIp.trim()) : null);
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
          {defaultMode && <option value="default">{t('defaultMode', describeMode(defaultMode))}</option>}
          {MODE_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {modeLabel(kind)}
            </option>
          ))}
        </select>
      </Field>
      {choice === 'public' && (
        <p class="warning" role="note">
          {t('publicWarning')}
        </p>
      )}
      {choice === 'restricted' && (
        <Field id={`${id}-ip`} label={t('allowedIp')} error={error} hint={t('allowedIpHint')}>
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
