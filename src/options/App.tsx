/** The options page: account, services, connection defaults, advanced settings. */
import { isSignedIn } from '../shared/auth';
import { t } from '../shared/i18n';
import { Notices } from '../shared/Notices';
import { AccountSection } from './AccountSection';
import { AddFromPage, requestedId } from './AddFromPage';
import { AdvancedSection } from './AdvancedSection';
import { ConnectionSection } from './ConnectionSection';
import { EntryPointsSection } from './EntryPointsSection';
import { useOptionsState, type OptionsState } from './options-state';
import { ServicesSection } from './ServicesSection';

export function App({ initial }: { initial: OptionsState }) {
  const state = useOptionsState(initial);
  const signedIn = isSignedIn(state.account);
  const fromPage = requestedId(location.search);
  return (
    <main>
      <header>
        <h1>{t('extName')}</h1>
        <nav aria-label={t('sections')}>
          <a href="#account">{t('account')}</a> · <a href="#services">{t('services')}</a> ·{' '}
          <a href="#connections">{t('connections')}</a> · <a href="#shortcuts">{t('shortcuts')}</a> ·{' '}
          <a href="#advanced">{t('advanced')}</a>
        </nav>
      </header>
      <Notices notices={state.notices} />
      {fromPage && <AddFromPage id={fromPage} services={state.services} />}
      <AccountSection
        account={state.account}
        settings={state.settings}
        rememberedDeveloperKey={state.rememberedDeveloperKey}
        usesAccessKey={state.usesAccessKey}
      />
      <ServicesSection services={state.services} preferences={state.preferences} signedIn={signedIn} />
      <ConnectionSection preferences={state.preferences} />
      <EntryPointsSection preferences={state.preferences} />
      <AdvancedSection key={state.settings.endpoint} settings={state.settings} />
    </main>
  );
}
