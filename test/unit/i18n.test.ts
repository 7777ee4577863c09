/**
 * The messages: every key the sources use is in English and German with the same placeholders, nothing is
 * empty, German has exactly the English keys; and the Intl formatting of counts, times and durations.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeMode, formatCountdown, formatDuration, formatTime } from '../../src/shared/format';
import { formatCount, plural, t } from '../../src/shared/i18n';
import { MESSAGES, speak } from './fake-i18n';

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

const sources = sourceFiles('src').map((file) => readFileSync(join(ROOT, file), 'utf8'));
const manifest = readFileSync(join(ROOT, 'manifest.json'), 'utf8');
const keys = (locale: 'en' | 'de') => Object.keys(MESSAGES[locale]);
const placeholdersOf = (message: string) =>
  [...message.matchAll(/\$(\w+)\$/g)].map((match) => match[1]!.toLowerCase());

/** Keys named where a message is looked up: t('…'), plural('…') and <Marked message="…">. */
function keysInSources(): Set<string> {
  const found = new Set<string>();
  for (const text of sources) {
    for (const [, key] of text.matchAll(/\bt\(\s*'(\w+)'/g)) found.add(key!);
    for (const [, key] of text.matchAll(/\bplural\(\s*'(\w+)'/g))
      ['one', 'other'].forEach((form) => found.add(`${key}_${form}`));
    for (const [, key] of text.matchAll(/\bmessage="(\w+)"/g)) found.add(key!);
  }
  for (const [, key] of manifest.matchAll(/__MSG_(\w+)__/g)) found.add(key!);
  return found;
}

describe('the messages', () => {
  test('every key the sources and the manifest use is in English and German', () => {
    const used = [...keysInSources()];
    expect(used.length).toBeGreaterThan(200);
    expect(used.filter((key) => !MESSAGES.en[key])).toEqual([]);
    expect(used.filter((key) => !MESSAGES.de[key])).toEqual([]);
  });

  test('German has exactly the English keys, in the same order', () => {
    expect(keys('de')).toEqual(keys('en'));
  });

  test('no message is empty, and German is not English left untranslated', () => {
    for (const locale of ['en', 'de'] as const)
      expect(keys(locale).filter((key) => !MESSAGES[locale][key]!.message.trim())).toEqual([]);
    const untranslated = keys('en').filter(
      (key) =>
        MESSAGES.en[key]!.message === MESSAGES.de[key]!.message &&
        /[a-z]{3} [a-z]{3}/.test(MESSAGES.en[key]!.message),
    );
    expect(untranslated).toEqual([]);
  });

  test('each message uses exactly its placeholders, the same in both languages, numbered from $1', () => {
    for (const key of keys('en')) {
      const declared = MESSAGES.en[key]!.placeholders ?? {};
      expect(MESSAGES.de[key]!.placeholders ?? {}, key).toEqual(declared);
      const contents = Object.values(declared)
        .map((placeholder) => placeholder.content)
        .sort();
      expect(contents, key).toEqual(contents.map((_, index) => `$${index + 1}`));
      for (const locale of ['en', 'de'] as const)
        expect(new Set(placeholdersOf(MESSAGES[locale][key]!.message)), `${locale} ${key}`).toEqual(
          new Set(Object.keys(declared)),
        );
    }
  });

  test('every key is used: by name in the sources or the manifest', () => {
    const named = (key: string) => {
      const base = key.replace(/_(one|other)$/, '');
      return (
        manifest.includes(`__MSG_${key}__`) ||
        sources.some((text) => text.includes(`'${base}'`) || text.includes(`"${base}"`))
      );
    };
    expect(keys('en').filter((key) => !named(key))).toEqual([]);
  });

  test('a plural message has its singular and plural form, with the count first', () => {
    const bases = new Set(
      keys('en')
        .filter((key) => /_(one|other)$/.test(key))
        .map((key) => key.replace(/_(one|other)$/, '')),
    );
    for (const base of bases) {
      for (const form of ['one', 'other'])
        expect(MESSAGES.en[`${base}_${form}`]?.placeholders?.count?.content, `${base}_${form}`).toBe('$1');
    }
  });

  test('the manifest takes its name, description and command descriptions from the messages', () => {
    const parsed = JSON.parse(manifest) as Record<string, unknown> & {
      commands: Record<string, { description: string }>;
    };
    expect(parsed.default_locale).toBe('en');
    expect([parsed.name, parsed.short_name, parsed.description]).toEqual([
      '__MSG_extName__',
      '__MSG_extShortName__',
      '__MSG_extDescription__',
    ]);
    for (const command of Object.values(parsed.commands))
      expect(command.description).toMatch(/^__MSG_\w+__$/);
  });
});

describe('lookups and Intl formatting', () => {
  const at = Date.UTC(2026, 10, 28, 16, 50);

  test('English', () => {
    speak('en');
    expect(t('connectToTarget', 'Garage Pi')).toBe('Connect to Garage Pi');
    expect(t('matchCount_other', 30, 12)).toBe('12 of 30 services');
    expect(plural('serviceCount', 1)).toBe('1 service');
    expect(plural('serviceCount', 5000)).toBe('5000 services');
    expect(plural('matchCount', 12_500, formatCount(3))).toBe('3 of 12,500 services');
    expect(formatCount(12_500)).toBe('12,500');
    expect(formatCountdown(7 * 3_600_000 + 59 * 60_000 + 12_000)).toBe('7:59:12');
    expect(formatCountdown(245_000)).toBe('4:05');
    expect(formatDuration(1, 'minute')).toBe('1 minute');
    expect(formatDuration(25, 'second')).toBe('25 seconds');
    expect(formatDuration(4, 'hour')).toBe('4 hours');
    expect(formatTime(at)).toMatch(/^Nov 28, 2026, \d{1,2}:50\s?[AP]M$/);
    expect(describeMode({ kind: 'restricted', ip: '203.0.113.7' })).toBe('Restricted to 203.0.113.7');
  });

  test('German', () => {
    speak('de');
    expect(t('connectToTarget', 'Garage Pi')).toBe('Mit Garage Pi verbinden');
    expect(plural('serviceCount', 1)).toBe('1 Dienst');
    expect(plural('serviceCount', 5000)).toBe('5000 Dienste');
    expect(plural('matchCount', 12_500, formatCount(3))).toBe('3 von 12.500 Diensten');
    expect(formatCountdown(7 * 3_600_000 + 59 * 60_000 + 12_000)).toBe('7:59:12');
    expect(formatDuration(1, 'minute')).toBe('1 Minute');
    expect(formatDuration(25, 'second')).toBe('25 Sekunden');
    expect(formatDuration(4, 'hour')).toBe('4 Stunden');
    expect(formatTime(at)).toMatch(/^28\.11\.2026, \d{2}:50$/);
    expect(describeMode({ kind: 'latching' })).toBe('IP-Bindung');
    expect(t('notStoppedYet', 'remote.it hat nicht geantwortet.', '0:30')).toBe(
      'Noch nicht beendet: remote.it hat nicht geantwortet. Neuer Versuch in 0:30.',
    );
  });
});
