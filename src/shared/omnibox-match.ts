/**
 * The address bar keyword (`rit gar`): which saved services match the typed text, how each suggestion reads,
 * and which service Enter connects. Pure; the popup's search decides the matches and their order.
 */
import { normaliseServiceId, type SavedService } from './catalog';
import { t, type MessageKey } from './i18n';
import { defaultChoice, searchServices } from './search';

export const MAX_SUGGESTIONS = 6;

export type ServiceState = 'connected' | 'connecting' | 'offline' | 'online' | 'unknown';

export interface MatchContext {
  lastUsed: Record<string, number>;
  /** Service ids with a live connection, and with a connect under way. */
  connected: Set<string>;
  connecting: Set<string>;
}

export interface Suggestion {
  /** What Enter hands back: the service ID. */
  content: string;
  description: string;
}

export function stateOf(service: SavedService, context: MatchContext): ServiceState {
  if (context.connected.has(service.id)) return 'connected';
  if (context.connecting.has(service.id)) return 'connecting';
  if (service.online === false) return 'offline';
  return service.online ? 'online' : 'unknown';
}

/** Chrome reads suggestion descriptions as XML (with <match>, <dim>, <url>); Firefox shows plain text. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!,
  );
}

const STATE_WORDS: Record<Exclude<ServiceState, 'unknown'>, MessageKey> = {
  connected: 'omniboxConnected',
  connecting: 'omniboxConnecting',
  offline: 'omniboxOffline',
  online: 'omniboxOnline',
};

export function describe(service: SavedService, context: MatchContext, markup: boolean): string {
  const state = stateOf(service, context);
  const details = [service.device, service.type, state === 'unknown' ? '' : t(STATE_WORDS[state])]
    .filter(Boolean)
    .join(' · ');
  if (!markup) return details ? `${service.name} — ${details}` : service.name;
  const name = `<match>${escapeXml(service.name)}</match>`;
  return details ? `${name} <dim>${escapeXml(details)}</dim>` : name;
}

export function suggestionsFor(
  services: SavedService[],
  text: string,
  context: MatchContext,
  markup: boolean,
): Suggestion[] {
  return searchServices(services, text.trim(), context)
    .slice(0, MAX_SUGGESTIONS)
    .map((service) => ({ content: service.id, description: describe(service, context, markup) }));
}

/**
 * Enter on a suggestion hands back its service ID; Enter on the typed text connects what the popup's Enter
 * would: the first match that is not offline.
 */
export function serviceForEntry(
  services: SavedService[],
  text: string,
  context: Pick<MatchContext, 'lastUsed'>,
): SavedService | undefined {
  const id = normaliseServiceId(text);
  const byId = id ? services.find((service) => service.id === id) : undefined;
  if (byId) return byId;
  if (!text.trim()) return undefined;
  return defaultChoice(searchServices(services, text.trim(), context));
}
