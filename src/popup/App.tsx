/** The toolbar popup: pick a saved service and connect; see and stop what is connected. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { isSignedIn } from '../shared/account';
import browser from '../shared/browser';
import type { SavedService } from '../shared/catalog';
import { send, type ConnectOutcome } from '../shared/messages';
import { copyChoices, type CopyChoice } from '../shared/proxy';
import { defaultChoice, searchServices } from '../shared/search';
import { Notices } from '../shared/Notices';
import { updateCatalog } from '../shared/storage/choices';
import { describeSaveError } from '../shared/storage/save-error';
import { formatCount, plural, t } from '../shared/i18n';
import type { ConnectionRecord } from '../shared/storage/connections';
import { Connections } from './Connections';
import { watchPopupState, type PopupState } from './popup-state';
import { ServiceList } from './ServiceList';

type Result =
  { kind: 'error'; text: string } | { kind: 'info'; text: string; choices?: CopyChoice[]; copied?: string };

function openOptions(section?: string) {
  if (section) void browser.tabs.create({ url: browser.runtime.getURL(`src/options/index.html#${section}`) });
  else void browser.runtime.openOptionsPage();
  window.close();
}

function describe(service: SavedService, outcome: ConnectOutcome): Result {
  if (outcome.action === 'opened-tab') {
    return {
      kind: 'info',
      text: t(outcome.reused ? 'alreadyOpen' : 'openedInNewTab', service.name),
    };
  }
  const choices = copyChoices(new URL(outcome.proxy), service);
  if (outcome.copyFailed) return { kind: 'info', text: t('connectedCopyAddress', service.name), choices };
  return { kind: 'info', text: t('copiedToClipboard'), copied: outcome.copied, choices };
}

export function App({ initial }: { initial: PopupState }) {
  const [state, setState] = useState(initial);
  const [query, setQuery] = useState('');
  const [focusRequest, setFocusRequest] = useState<{ index: number } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [requested, setRequested] = useState<Set<string>>(new Set());
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => watchPopupState(setState), []);

  const results = useMemo(
    () => searchServices(state.services, query, { lastUsed: state.lastUsed }),
    [state.services, state.lastUsed, query],
  );
  const connectedIds = useMemo(
    () => new Set(state.connections.map((connection) => connection.serviceId)),
    [state.connections],
  );
  const connectingIds = useMemo(
    () => new Set([...requested, ...Object.keys(state.connecting)]),
    [requested, state.connecting],
  );
  const signedIn = isSignedIn(state.account);

  async function connect(service: SavedService) {
    setRequested((ids) => new Set(ids).add(service.id));
    setResult(null);
    try {
      setResult(describe(service, await send('connect', { serviceId: service.id })));
    } catch (error) {
      setResult({ kind: 'error', text: t('nameAndReason', service.name, (error as Error).message) });
    } finally {
      setRequested((ids) => {
        const next = new Set(ids);
        next.delete(service.id);
        return next;
      });
    }
  }

  async function copy(choice: CopyChoice) {
    try {
      await navigator.clipboard.writeText(choice.text);
      setResult((current) =>
        current?.kind === 'info'
          ? { ...current, text: t('copiedToClipboard'), copied: choice.text }
          : current,
      );
    } catch {
      setResult({ kind: 'error', text: t('copyByHand', choice.text) });
    }
  }

  function show(connection: ConnectionRecord) {
    const service = state.services.find((candidate) => candidate.id === connection.serviceId);
    if (service) void connect(service);
  }

  function toggleFavourite(service: SavedService) {
    // A favourite that cannot be saved (storage full) is reported like a failed connect.
    updateCatalog((services) =>
      services.map((candidate) =>
        candidate.id === service.id ? { ...candidate, favourite: !candidate.favourite } : candidate,
      ),
    ).catch((error) => setResult({ kind: 'error', text: describeSaveError(error) }));
  }

  function returnToSearch(clear: boolean) {
    if (clear) setQuery('');
    search.current?.focus();
  }

  function onSearchKeyDown(event: KeyboardEvent) {
    if (event.key === 'ArrowDown' && results.length) {
      event.preventDefault();
      setFocusRequest({ index: 0 });
    } else if (event.key === 'Enter') {
      const choice = defaultChoice(results);
      if (choice) void connect(choice);
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      setQuery('');
    }
  }

  return (
    <main>
      <header>
        <h1>remote.it</h1>
        {signedIn && <span class="account">{state.account?.email}</span>}
        <button type="button" class="link" onClick={() => openOptions()}>
          {t('settings')}
        </button>
      </header>

      <Notices notices={state.notices} />

      {!signedIn ? (
        <section class="empty">
          {state.account?.signedOutReason ? (
            <p role="alert">{state.account.signedOutReason}</p>
          ) : (
            <p>{t('signInPrompt')}</p>
          )}
          <button type="button" class="primary" onClick={() => openOptions('account')}>
            {t('signIn')}
          </button>
        </section>
      ) : (
        <>
          <Connections
            connections={state.connections}
            pendingStops={state.pendingStops}
            onStop={(connection) => void send('stop', { connectionId: connection.id }).catch(() => undefined)}
            onStopAll={() => void send('stop-all', {}).catch(() => undefined)}
            onShow={show}
          />
          <div role="status" aria-live="polite" class="result-slot">
            {result?.kind === 'info' && (
              <div class="result">
                <p>{result.text}</p>
                {result.copied && <code>{result.copied}</code>}
                {result.choices && result.choices.length > 1 && (
                  <div class="choices">
                    {result.choices.map((choice) => (
                      <button
                        type="button"
                        class="small"
                        key={choice.format}
                        onClick={() => void copy(choice)}
                      >
                        {choice.format === 'address' ? t('copyAddress') : t('copyChoice', choice.label)}
                      </button>
                    ))}
                  </div>
                )}
                {result.choices?.length === 1 && !result.copied && (
                  <button type="button" class="small" onClick={() => void copy(result.choices![0]!)}>
                    {t('copyAddress')}
                  </button>
                )}
              </div>
            )}
          </div>
          {result?.kind === 'error' && (
            <div class="notice error" role="alert">
              {result.text}
            </div>
          )}
          {state.services.length === 0 ? (
            <section class="empty">
              <p>{t('noServicesYet')}</p>
              <button type="button" class="primary" onClick={() => openOptions('services')}>
                {t('importServices')}
              </button>
            </section>
          ) : (
            <>
              <label class="search">
                <span class="visually-hidden">{t('searchServices')}</span>
                <input
                  ref={search}
                  type="search"
                  autoFocus
                  placeholder={t('searchPlaceholder')}
                  value={query}
                  onInput={(event) => setQuery(event.currentTarget.value)}
                  onKeyDown={onSearchKeyDown}
                  aria-describedby="result-count"
                />
              </label>
              <p id="result-count" class="count" aria-live="polite">
                {query
                  ? plural('matchCount', state.services.length, formatCount(results.length))
                  : plural('serviceCount', state.services.length)}
              </p>
              {results.length ? (
                <ServiceList
                  services={results}
                  connectedIds={connectedIds}
                  connectingIds={connectingIds}
                  focusRequest={focusRequest}
                  onReturnToSearch={returnToSearch}
                  onConnect={(service) => void connect(service)}
                  onToggleFavourite={toggleFavourite}
                />
              ) : (
                <p class="empty">{t('noMatch', query)}</p>
              )}
            </>
          )}
        </>
      )}
    </main>
  );
}
