/**
 * The address bar keyword `rit`: suggestions from the saved services as the person types, and Enter connects
 * the chosen one through `connectService`, a web service opening where the browser says (this tab, a new tab,
 * a background tab).
 */
import browser, { isFirefox } from '../shared/browser';
import { t } from '../shared/i18n';
import { suggestionsFor, serviceForEntry, type MatchContext } from '../shared/omnibox-match';
import { readWithChoices } from '../shared/storage/choices';
import { connectFrom, reportFailure } from './entry-points';
import type { OpenIn } from './tabs';

async function matchContext() {
  const { services, lastUsed, connections, connecting } = await readWithChoices(
    'lastUsed',
    'connections',
    'connecting',
  );
  const context: MatchContext = {
    lastUsed,
    connected: new Set(Object.values(connections).map((record) => record.serviceId)),
    connecting: new Set(Object.keys(connecting)),
  };
  return { services, context };
}

export function setDefaultSuggestion(): void {
  browser.omnibox.setDefaultSuggestion({
    description: t('omniboxDefault'),
  });
}

export async function onOmniboxInputChanged(
  text: string,
  suggest: (suggestions: { content: string; description: string }[]) => void,
): Promise<void> {
  const { services, context } = await matchContext();
  suggest(suggestionsFor(services, text, context, !isFirefox()));
}

const DISPOSITIONS = new Set<string>(['currentTab', 'newForegroundTab', 'newBackgroundTab']);

export async function onOmniboxInputEntered(text: string, disposition: string): Promise<void> {
  const { services, context } = await matchContext();
  const service = serviceForEntry(services, text, context);
  if (!service)
    return reportFailure('address bar', t('quoted', text.trim().slice(0, 80)), t('omniboxNoMatch'));
  const openIn = (DISPOSITIONS.has(disposition) ? disposition : 'currentTab') as OpenIn;
  await connectFrom('address bar', service.id, { openIn });
}
