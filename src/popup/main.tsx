import { render } from 'preact';
import { ErrorBoundary, PageRecovery } from '../shared/ErrorBoundary';
import { t } from '../shared/i18n';
import { App } from './App';
import { loadPopupState } from './popup-state';

const root = document.getElementById('app')!;
const reload = () => location.reload();
document.documentElement.lang = t('htmlLang');
document.title = t('extName');

// One storage read, then the first paint: the popup never waits for the worker or the network.
void loadPopupState().then(
  (initial) =>
    render(
      <ErrorBoundary onRecover={reload}>
        <App initial={initial} />
      </ErrorBoundary>,
      root,
    ),
  (error: unknown) => render(<PageRecovery error={error} onRecover={reload} />, root),
);
