/** The API endpoint (the local simulator for demos and tests) and the request time limit. */
import { useState } from 'preact/hooks';
import { DEFAULT_ENDPOINT } from '../shared/api';
import { t } from '../shared/i18n';
import { send } from '../shared/messages';
import { DEFAULT_SETTINGS, type Settings } from '../shared/storage/schema';
import { writeLocal } from '../shared/storage/local';
import { describeSaveError } from '../shared/storage/save-error';
import { Field, FormMessage, fieldAria } from './Field';
import { requestEndpointAccess, validateEndpoint } from '../shared/endpoint-access';

export function AdvancedSection({ settings }: { settings: Settings }) {
  const [endpoint, setEndpoint] = useState(settings.endpoint);
  const [timeout, setTimeoutSec] = useState(String(settings.requestTimeoutSec));
  const [errors, setErrors] = useState<{ endpoint?: string; timeout?: string; form?: string }>({});
  const [saved, setSaved] = useState<string | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    setSaved(null);
    const checked = validateEndpoint(endpoint);
    const seconds = Number(timeout);
    const nextErrors = {
      endpoint: 'error' in checked ? checked.error : undefined,
      timeout: Number.isInteger(seconds) && seconds >= 3 && seconds <= 25 ? undefined : t('timeoutRange'),
    };
    if (nextErrors.endpoint || nextErrors.timeout || 'error' in checked) return setErrors(nextErrors);
    // Inside the click, before anything else is awaited: the prompt needs the user gesture.
    if (!(await requestEndpointAccess(checked.endpoint))) {
      return setErrors({
        form: t('notAllowedToReach', new URL(checked.endpoint).hostname),
      });
    }
    setErrors({});
    const endpointChanged = checked.endpoint !== settings.endpoint;
    const next = { endpoint: checked.endpoint, requestTimeoutSec: seconds };
    try {
      if (endpointChanged) {
        // A session belongs to the server that issued it: the worker queues every connection's stop, signs out
        // (keeping what those stops need), then saves.
        // It also gives back the old endpoint's host permission once no queued stop needs it.
        await send('change-endpoint', { settings: next });
      } else {
        await writeLocal({ settings: next });
      }
    } catch (error) {
      // The fields keep what the person entered.
      return setErrors({ form: describeSaveError(error) });
    }
    setEndpoint(checked.endpoint);
    setSaved(endpointChanged ? t('savedAndSignedOut') : t('saved'));
  }

  return (
    <section id="advanced" aria-labelledby="advanced-heading">
      <h2 id="advanced-heading">{t('advanced')}</h2>
      <form onSubmit={(event) => void save(event)} noValidate>
        <Field
          id="endpoint"
          label={t('apiEndpoint')}
          error={errors.endpoint}
          hint={t('apiEndpointHint', DEFAULT_ENDPOINT)}
        >
          <input
            {...fieldAria('endpoint', errors.endpoint, true)}
            type="url"
            spellcheck={false}
            value={endpoint}
            onInput={(event) => setEndpoint(event.currentTarget.value)}
          />
        </Field>
        <Field id="timeout" label={t('requestTimeout')} error={errors.timeout}>
          <input
            {...fieldAria('timeout', errors.timeout)}
            type="number"
            min={3}
            max={25}
            value={timeout}
            onInput={(event) => setTimeoutSec(event.currentTarget.value)}
          />
        </Field>
        <FormMessage error={errors.form} success={saved} />
        <div class="actions">
          <button type="submit">{t('save')}</button>
          <button
            type="button"
            class="link"
            onClick={() => {
              setEndpoint(DEFAULT_SETTINGS.endpoint);
              setTimeoutSec(String(DEFAULT_SETTINGS.requestTimeoutSec));
            }}
          >
            {t('useDefaults')}
          </button>
        </div>
      </form>
    </section>
  );
}
