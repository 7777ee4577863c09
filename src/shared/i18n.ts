/**
 * Every word a person reads comes from `public/_locales/<language>/messages.json` (English, the default, and
 * German), in the browser's language; numbers, dates and durations are formatted by `Intl` for it.
 */
import type english from '../../public/_locales/en/messages.json';
import browser from './browser';

export type MessageKey = keyof typeof english;
/** Messages that come in a singular and a plural form: `<base>_one` and `<base>_other`. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;

/** The message in the browser's language (English when there is none in it), with `$1`… filled in. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  return browser.i18n.getMessage(key, substitutions.map(String));
}

/** The language the browser shows its own interface in: how numbers, dates and durations are written. */
export function uiLanguage(): string {
  return browser.i18n.getUILanguage();
}

/** A count as the browser's language writes it (5000, 12,500 / 12.500). */
export function formatCount(count: number): string {
  return new Intl.NumberFormat(uiLanguage(), { useGrouping: 'min2' }).format(count);
}

/**
 * The singular or the plural message for a count, chosen by the rules of the language the messages are in; the
 * count is the first substitution.
 */
export function plural(key: PluralKey, count: number, ...substitutions: (string | number)[]): string {
  const form = new Intl.PluralRules(t('htmlLang')).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}`, formatCount(count), ...substitutions);
}
