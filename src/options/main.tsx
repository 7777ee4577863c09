import { render } from 'preact';
import { ErrorBoundary, PageRecovery } from '../shared/ErrorBoundary';
import { t } from '../shared/i18n';
import { App } from './App';
import { loadOptionsState } from './options-state';

const root = document.getElementById('app')!;
const reload = () => location.reload();
document.documentElement.lang = t('htmlLang');
document.title = t('optionsTitle');

void loadOptionsState().then(
  (initial) => {
    render(
      <ErrorBoundary onRecover={reload}>
        <App initial={initial} />
      </ErrorBoundary>,
      root,
    );
    // Links from the popup (#account, #services) land on their section.
    if (location.hash) document.querySelector(location.hash)?.scrollIntoView();
  },
  (error: unknown) => render(<PageRecovery error={error} onRecover={reload} />, root),
);
