/**
 * "Connect to <ID>" on a service ID selected on a page that is not saved: the options page opens with
 * `?connect=<ID>` and asks before adding it, as a service named by its ID, and connecting it.
 */
import { useState } from 'preact/hooks';
import { normaliseServiceId, type SavedService } from '../shared/catalog';
import { t } from '../shared/i18n';
import { Marked } from '../shared/Marked';
import { send } from '../shared/messages';
import { unnamedService } from '../shared/selection';
import { updateCatalog } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import { Field, FormMessage } from './Field';

const TYPES = ['TCP', 'SSH', 'HTTP', 'HTTPS', 'RDP', 'VNC'];

/** The service ID the page was opened for, if any. */
export function requestedId(search: string): string | null {
  const raw = new URLSearchParams(search).get('connect');
  return raw ? normaliseServiceId(raw) : null;
}

function forget() {
  history.replaceState(null, '', location.pathname);
}

export function AddFromPage({ id, services }: { id: string; services: SavedService[] }) {
  const [type, setType] = useState('TCP');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState(false);
  const saved = services.find((service) => service.id === id);
  if (dismissed) return null;

  async function addAndConnect() {
    setBusy(true);
    setError(null);
    try {
      if (!saved)
        await updateCatalog((current) =>
          current.some((service) => service.id === id) ? current : [...current, unnamedService(id, type)],
        );
    } catch (failure) {
      setBusy(false);
      return setError(describeSaveError(failure));
    }
    try {
      const outcome = await send('connect', { serviceId: id });
      setDone(
        outcome.action === 'opened-tab'
          ? t('connectedOpenedInTab', outcome.proxy)
          : outcome.copyFailed
            ? t('connectedNotCopied', outcome.copied)
            : t('connectedCopied', outcome.copied),
      );
      forget();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section id="add-from-page" aria-labelledby="add-from-page-heading" class="add-from-page">
      <h2 id="add-from-page-heading">{t('connectToIdQuestion', id)}</h2>
      {saved ? (
        <p>{t('savedAs', saved.name)}</p>
      ) : (
        <>
          <p>
            <Marked message="chosenOnPage" parts={[<strong>{t('connectToTarget', id)}</strong>]} />
          </p>
          <Field id="add-from-page-type" label={t('type')}>
            <select
              id="add-from-page-type"
              value={type}
              onChange={(event) => setType(event.currentTarget.value)}
            >
              {TYPES.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          </Field>
        </>
      )}
      <FormMessage error={error} success={done} />
      {!done && (
        <p>
          <button type="button" disabled={busy} onClick={() => void addAndConnect()}>
            {saved ? t('connect') : t('addAndConnect')}
          </button>{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              forget();
              setDismissed(true);
            }}
          >
            {t('cancel')}
          </button>
        </p>
      )}
    </section>
  );
}
