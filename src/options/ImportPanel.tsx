/** The account's services, grouped by device, to save all or pick some. */
import { useState } from 'preact/hooks';
import type { ImportedDevice } from '../shared/catalog';
import { plural, t } from '../shared/i18n';

interface Props {
  devices: ImportedDevice[];
  savedIds: Set<string>;
  onSave: (selected: Set<string> | undefined) => void;
  onCancel: () => void;
}

export function ImportPanel({ devices, savedIds, onSave, onCancel }: Props) {
  const newIds = devices
    .flatMap((device) => device.services.map((service) => service.id))
    .filter((id) => !savedIds.has(id));
  const [selected, setSelected] = useState(new Set(newIds));
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div class="import-panel">
      <p>{newIds.length ? plural('unsavedInAccount', newIds.length) : t('allAlreadySaved')}</p>
      <div class="devices">
        {devices.map((device) => (
          <fieldset key={device.name}>
            <legend>
              {device.name}
              {device.sharedBy && <span class="muted"> {t('sharedBy', device.sharedBy)}</span>}
              {!device.online && <span class="muted"> {t('offlineInParentheses')}</span>}
            </legend>
            {device.services.map((service) => {
              const saved = savedIds.has(service.id);
              return (
                <label key={service.id} class="check">
                  <input
                    type="checkbox"
                    checked={saved || selected.has(service.id)}
                    disabled={saved}
                    onChange={() => toggle(service.id)}
                  />
                  {service.name}{' '}
                  <span class="muted">
                    · {service.type}
                    {service.online ? '' : ` · ${t('stateOffline')}`}
                    {saved ? ` · ${t('stateSaved')}` : ''}
                  </span>
                </label>
              );
            })}
          </fieldset>
        ))}
      </div>
      <div class="actions">
        <button type="button" class="primary" disabled={!newIds.length} onClick={() => onSave(undefined)}>
          {plural('saveAll', newIds.length)}
        </button>
        <button type="button" disabled={!selected.size} onClick={() => onSave(selected)}>
          {t('saveSelected', selected.size)}
        </button>
        <button type="button" class="link" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}
