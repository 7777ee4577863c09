/** In a German browser the popup and the options page speak German: every word from the German messages.json. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { fireEvent, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, test } from 'vitest';
import { BASELINE_CONNECTION } from '../corrupt-storage';
import { makeService, serviceId } from '../fixtures';
import { MESSAGES, speak } from '../unit/fake-i18n';
import { renderOptions, renderPopup, signedInWith } from './pages';

/** What a person reads or hears: each text, and the names and hints in attributes. */
function everythingShown(): string[] {
  const texts: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) texts.push(walker.currentNode.textContent!.trim());
  const attributes = [...document.querySelectorAll('[aria-label], [placeholder], [title]')].flatMap(
    (element) => ['aria-label', 'placeholder', 'title'].map((name) => element.getAttribute(name) ?? ''),
  );
  return [...texts, ...attributes].filter(Boolean);
}

/** English messages that read differently in German and are whole texts (no substitution). */
const ENGLISH_ONLY = Object.entries(MESSAGES.en)
  .filter(([key, { message }]) => !message.includes('$') && message !== MESSAGES.de[key]!.message)
  .map(([, { message }]) => message);

/** No English sentence anywhere, and no English word on its own ("remote.it Connect" is a name). */
function expectNoEnglish(): void {
  const shown = everythingShown();
  const all = shown.join('\n');
  const english = ENGLISH_ONLY.filter((message) =>
    message.includes(' ') ? all.includes(message) : shown.includes(message),
  );
  expect(english).toEqual([]);
}

beforeEach(() => {
  speak('de');
});

describe('in German', () => {
  test('the popup: services, search, an active connection and its countdown', async () => {
    await signedInWith([
      makeService({ id: serviceId(1), name: 'Werkstatt', online: false }),
      makeService({ id: serviceId(2), name: 'Lager', online: true }),
    ]);
    await fakeBrowser.storage.local.set({
      connections: {
        [BASELINE_CONNECTION.id]: { ...BASELINE_CONNECTION, expiresAt: Date.now() + 2 * 3_600_000 },
      },
    });
    await renderPopup();
    expect(screen.getByRole('button', { name: 'Einstellungen' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Aktive Verbindungen (1)' })).toBeTruthy();
    const meta = document.querySelector('.connection .meta')!;
    expect(meta.textContent).toMatch(/ · IP-Bindung · noch 1:59:5\d$/);
    expect(meta.querySelector('.countdown')!.getAttribute('aria-label')).toMatch(/^läuft in 1:59:5\d ab$/);
    expect(screen.getByRole('button', { name: 'Garage Pi - SSH beenden' })).toBeTruthy();
    const search = screen.getByRole('searchbox', { name: 'Dienste suchen' });
    expect(search.getAttribute('placeholder')).toBe('Nach Name, Gerät, Typ oder ID suchen');
    expect(screen.getByText('2 Dienste')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Verbinden: Werkstatt (offline)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Favorit: Lager' }).getAttribute('title')).toBe(
      'Zu den Favoriten hinzufügen',
    );
    expectNoEnglish();

    fireEvent.input(search, { target: { value: 'Keller' } });
    expect(screen.getByText('0 von 2 Diensten')).toBeTruthy();
    expect(screen.getByText('Kein Dienst passt zu „Keller“.')).toBeTruthy();
    expectNoEnglish();
  });

  test('the popup before sign-in', async () => {
    await renderPopup();
    expect(
      screen.getByText('Melden Sie sich bei remote.it an, um Ihre Dienste von hier aus zu erreichen.'),
    ).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Anmelden' })).toBeTruthy();
    expectNoEnglish();
  });

  test('the options page, signed in', async () => {
    await signedInWith([makeService({ id: serviceId(1), name: 'Werkstatt', type: 'SSH' })]);
    await renderOptions();
    expect(screen.getByRole('heading', { name: 'Konto' })).toBeTruthy();
    expect(screen.getByText('demo@example.com').parentElement!.textContent).toBe(
      'Angemeldet als demo@example.com.',
    );
    expect(screen.getByRole('heading', { name: 'Gespeicherte Dienste (1)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Abmelden' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Den SSH-Befehl' })).toBeTruthy();
    expect(screen.getByRole('option', { name: '15 Minuten' })).toBeTruthy();
    expectNoEnglish();
  });

  test('the sign-in form says what is missing', async () => {
    await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Anmelden' }));
    expect(await screen.findByText('Geben Sie die ID des Zugriffsschlüssels ein.')).toBeTruthy();
    expect(screen.getByText('Fügen Sie den geheimen Zugriffsschlüssel ein.')).toBeTruthy();
    expectNoEnglish();
  });
});
