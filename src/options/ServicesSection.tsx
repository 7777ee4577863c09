/** The saved services: import or refresh from the account, add by ID, rename, favourite, per-service settings. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { withSession } from '../shared/auth';
import { listAccountServices } from '../shared/service-listing';
import {
  isWebType,
  mergeImport,
  normaliseServiceId,
  type CopyFormat,
  type ImportedDevice,
  type SavedService,
} from '../shared/catalog';
import { plural, t } from '../shared/i18n';
import { sshUserProblem } from '../shared/proxy';
import { searchServices } from '../shared/search';
import { updateCatalog } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import type { Preferences } from '../shared/storage/schema';
import { Field, FormMessage, fieldAria } from './Field';
import { ImportPanel } from './ImportPanel';
import { ModeEditor } from './ModeEditor';

const PAGE_SIZE = 50;
const MANUAL_TYPES = ['SSH', 'HTTP', 'HTTPS', 'RDP', 'VNC', 'TCP'];

function edit(id: string, change: Partial<SavedService>) {
  return updateCatalog((services) =>
    services.map((service) => (service.id === id ? { ...service, ...change } : service)),
  );
}

function stateLabel(service: SavedService): string {
  if (service.inAccount === false) return t('noLongerInAccount');
  if (service.online === null) return t('stateUnknown');
  return service.online ? t('online') : t('offline');
}

/** Goes into the copied `ssh -p … user@host`, so only a plain user name is saved; empty means none. */
function SshUserField({ id, service }: { id: string; service: SavedService }) {
  // The draft keeps what was typed while it is refused, instead of snapping back to the saved name.
  const [draft, setDraft] = useState(service.sshUser ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(service.sshUser ?? ''), [service.sshUser]);

  function save(value: string) {
    const user = value.trim();
    const problem = user ? sshUserProblem(user) : null;
    setError(problem);
    if (!problem)
      edit(service.id, { sshUser: user || undefined }).catch((error) => setError(describeSaveError(error)));
  }

  return (
    <Field id={id} label={t('sshUserName')} error={error}>
      <input
        {...fieldAria(id, error)}
        autocomplete="off"
        spellcheck={false}
        value={draft}
        onInput={(event) => setDraft(event.currentTarget.value)}
        onChange={(event) => save(event.currentTarget.value)}
      />
    </Field>
  );
}

function ServiceRow({ service, preferences }: { service: SavedService; preferences: Preferences }) {
  const key = service.id.replace(/:/g, '');
  // A refused save (storage full) keeps what was typed, next to the error, instead of the saved name.
  const [name, setName] = useState(service.name);
  useEffect(() => setName(service.name), [service.name]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const saved = (saving: Promise<unknown>) =>
    void saving.then(
      () => setSaveError(null),
      (error) => setSaveError(describeSaveError(error)),
    );
  const save = (change: Partial<SavedService>) => saved(edit(service.id, change));

  return (
    <li>
      <fieldset class="service-row">
        <legend>{service.name}</legend>
        {saveError && (
          <p class="notice error" role="alert">
            {saveError}
          </p>
        )}
        <div class="service-head">
          <Field id={`name-${key}`} label={t('name')}>
            <input
              id={`name-${key}`}
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
              onChange={(event) => {
                const trimmed = event.currentTarget.value.trim();
                if (trimmed) save({ name: trimmed });
              }}
            />
          </Field>
          <p class="muted">
            {service.device && `${service.device} · `}
            {service.type} · <code>{service.id}</code> · {stateLabel(service)}
          </p>
        </div>
        <div class="service-settings">
          <label class="check">
            <input
              type="checkbox"
              checked={!!service.favourite}
              onChange={(event) => save({ favourite: event.currentTarget.checked })}
            />
            {t('favourite')}
          </label>
          {isWebType(service.type) ? (
            <p class="muted">{t('webServiceNote')}</p>
          ) : (
            <>
              <ModeEditor
                id={`mode-${key}`}
                label={t('connectionMode')}
                value={service.mode}
                defaultMode={preferences.defaultMode}
                onChange={(mode) => save({ mode })}
              />
              <Field id={`copy-${key}`} label={t('clickCopies')}>
                <select
                  id={`copy-${key}`}
                  value={service.copyFormat ?? 'command'}
                  onChange={(event) => save({ copyFormat: event.currentTarget.value as CopyFormat })}
                >
                  <option value="command">
                    {service.type === 'SSH' || service.type === 'RDP' || service.type === 'VNC'
                      ? t('copyTheCommand', service.type)
                      : t('copyTheAddress')}
                  </option>
                  <option value="address">{t('copyTheHostAndPort')}</option>
                </select>
              </Field>
              {service.type === 'SSH' && <SshUserField id={`user-${key}`} service={service} />}
            </>
          )}
          <button
            type="button"
            class="danger small"
            aria-label={t('removeNamed', service.name)}
            onClick={() =>
              saved(updateCatalog((services) => services.filter((candidate) => candidate.id !== service.id)))
            }
          >
            {t('remove')}
          </button>
        </div>
      </fieldset>
    </li>
  );
}

function AddServiceForm({ services }: { services: SavedService[] }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState('SSH');
  const [errors, setErrors] = useState<{ id?: string; name?: string; form?: string }>({});
  const [added, setAdded] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const serviceId = normaliseServiceId(id);
    const existing = serviceId && services.find((service) => service.id === serviceId);
    const nextErrors = {
      id: !serviceId ? t('invalidServiceId') : existing ? t('alreadySavedAs', existing.name) : undefined,
      name: name.trim() ? undefined : t('giveServiceName'),
    };
    setErrors(nextErrors);
    setAdded(null);
    if (nextErrors.id || nextErrors.name || !serviceId) return;
    try {
      await updateCatalog((current) => [
        ...current,
        { id: serviceId, name: name.trim(), device: '', type, typeId: null, online: null, source: 'manual' },
      ]);
    } catch (error) {
      return setErrors({ form: describeSaveError(error) });
    }
    setAdded(t('addedName', name.trim()));
    setId('');
    setName('');
  }

  return (
    <form
      class="add-service"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="add-heading"
    >
      <h3 id="add-heading">{t('addServiceById')}</h3>
      <Field id="add-id" label={t('serviceId')} error={errors.id}>
        <input
          {...fieldAria('add-id', errors.id)}
          spellcheck={false}
          autocomplete="off"
          placeholder="80:00:00:00:01:0A:2B:3C"
          value={id}
          onInput={(event) => setId(event.currentTarget.value)}
        />
      </Field>
      <Field id="add-name" label={t('name')} error={errors.name}>
        <input
          {...fieldAria('add-name', errors.name)}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </Field>
      <Field id="add-type" label={t('type')}>
        <select id="add-type" value={type} onChange={(event) => setType(event.currentTarget.value)}>
          {MANUAL_TYPES.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      </Field>
      <FormMessage error={errors.form} success={added} />
      <button type="submit">{t('addService')}</button>
    </form>
  );
}

export function ServicesSection({
  services,
  preferences,
  signedIn,
}: {
  services: SavedService[];
  preferences: Preferences;
  signedIn: boolean;
}) {
  const [importing, setImporting] = useState<ImportedDevice[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error?: string; success?: string }>({});
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(PAGE_SIZE);
  const savedIds = useMemo(() => new Set(services.map((service) => service.id)), [services]);
  const filtered = useMemo(() => searchServices(services, filter, { lastUsed: {} }), [services, filter]);
  const hasAccountServices = services.some((service) => service.source === 'account');

  async function fetchAccount(): Promise<ImportedDevice[] | null> {
    setBusy(true);
    setMessage({});
    try {
      return await withSession(listAccountServices);
    } catch (error) {
      setMessage({ error: t('couldNotLoadServices', (error as Error).message) });
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function save(devices: ImportedDevice[], selected: Set<string> | undefined) {
    const imported = devices.flatMap((device) => device.services);
    try {
      const updated = await updateCatalog((current) => mergeImport(current, imported, selected));
      setImporting(null);
      setMessage({ success: plural('savedNowHave', updated.length) });
    } catch (error) {
      // The import panel stays open with the person's selection.
      setMessage({ error: describeSaveError(error) });
    }
  }

  async function refresh() {
    const devices = await fetchAccount();
    if (!devices) return;
    const imported = devices.flatMap((device) => device.services);
    let updated: SavedService[];
    try {
      updated = await updateCatalog((current) => mergeImport(current, imported, new Set()));
    } catch (error) {
      return setMessage({ error: describeSaveError(error) });
    }
    const gone = updated.filter((service) => service.inAccount === false).length;
    const fresh = imported.filter((service) => !savedIds.has(service.id)).length;
    const summary = [
      plural('updatedSaved', updated.length - gone),
      gone ? plural('goneFromAccount', gone) : '',
      fresh ? plural('newInAccount', fresh) : '',
    ];
    setMessage({ success: summary.filter(Boolean).join(' ') });
  }

  return (
    <section id="services" aria-labelledby="services-heading">
      <h2 id="services-heading">{t('services')}</h2>
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={!signedIn || busy}
          onClick={() => void fetchAccount().then(setImporting)}
        >
          {busy ? t('loading') : t('importFromAccount')}
        </button>
        {hasAccountServices && (
          <button type="button" disabled={!signedIn || busy} onClick={() => void refresh()}>
            {t('refreshFromAccount')}
          </button>
        )}
        {!signedIn && <span class="muted">{t('signInToImport')}</span>}
      </div>
      <FormMessage error={message.error} success={message.success} />
      {importing && (
        <ImportPanel
          devices={importing}
          savedIds={savedIds}
          onSave={(selected) => void save(importing, selected)}
          onCancel={() => setImporting(null)}
        />
      )}

      <h3>{t('savedServices', services.length)}</h3>
      {services.length > 0 && (
        <label class="filter">
          {t('filterSavedServices')}
          <input
            type="search"
            value={filter}
            onInput={(event) => {
              setFilter(event.currentTarget.value);
              setShown(PAGE_SIZE);
            }}
          />
        </label>
      )}
      <ul class="saved-services">
        {filtered.slice(0, shown).map((service) => (
          <ServiceRow key={service.id} service={service} preferences={preferences} />
        ))}
      </ul>
      {filtered.length > shown && (
        <button type="button" onClick={() => setShown(shown + PAGE_SIZE)}>
          {t('showMore', filtered.length - shown)}
        </button>
      )}
      <AddServiceForm services={services} />
    </section>
  );
}
