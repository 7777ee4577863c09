/**
 * browser.i18n for the in-memory browser: the extension's real messages.json, substituted the way Chrome and
 * Firefox do it, so a test that reads English text also proves the lookup.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import de from '../../public/_locales/de/messages.json';
import en from '../../public/_locales/en/messages.json';

type Messages = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export const MESSAGES: Record<'en' | 'de', Messages> = { en, de };
export type Locale = keyof typeof MESSAGES;

/** `$name$` is the placeholder's content, `$1`… a substitution, `$$` a dollar sign. */
export function substitute(messages: Messages, key: string, substitutions: string[]): string {
  const entry = messages[key];
  if (!entry) throw new Error(`No message "${key}" in messages.json`);
  const placeholders = new Map(
    Object.entries(entry.placeholders ?? {}).map(([name, { content }]) => [name.toLowerCase(), content]),
  );
  const numbered = (text: string) =>
    text.replace(/\$(\d)/g, (_, n: string) => substitutions[Number(n) - 1] ?? '');
  return entry.message.replace(/\$\$|\$(\w+)\$|\$\d/g, (match, name?: string) => {
    if (match === '$$') return '$';
    return numbered(name ? (placeholders.get(name.toLowerCase()) ?? '') : match);
  });
}

/** Makes the in-memory browser speak `locale` (English unless a test asks otherwise). */
export function speak(locale: Locale): void {
  const messages = MESSAGES[locale];
  Object.assign(fakeBrowser.i18n, {
    getMessage: (key: string, substitutions: string | string[] = []) =>
      substitute(messages, key, typeof substitutions === 'string' ? [substitutions] : substitutions),
    getUILanguage: () => (locale === 'en' ? 'en-US' : 'de-DE'),
  });
}
