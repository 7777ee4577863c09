/** The popup and the options page with every shape of the corrupted-storage matrix: usable, and the person told. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { screen, waitFor } from '@testing-library/preact';
import { describe, expect, test } from 'vitest';
import { CORRUPT_BASELINE, CORRUPT_SHAPES, toldInFakeBrowser, type CorruptShape } from '../corrupt-storage';
import { POPUP_LOCAL_KEYS } from '../../src/popup/popup-state';
import { renderOptions, renderPopup } from './pages';

const DAMAGE = /Some stored data was damaged and has been reset/;

async function prefill(shape: CorruptShape) {
  await fakeBrowser.storage.local.set({ ...CORRUPT_BASELINE.local, ...shape.local });
  await fakeBrowser.storage.sync.set({ ...CORRUPT_BASELINE.sync, ...shape.sync });
}

/** Each page reads only some storage.local keys (and all of storage.sync); damage elsewhere is not its to find. */
const CHOICE_KEYS = ['catalogFallback', 'preferencesFallback', 'syncedCatalogCopy'];
const POPUP_KEYS = new Set<string>([...POPUP_LOCAL_KEYS, ...CHOICE_KEYS]);
const OPTIONS_KEYS = new Set(['account', 'settings', 'secrets', 'notices', ...CHOICE_KEYS]);

function tellsOn(page: Set<string>, shape: CorruptShape): boolean {
  const read = !!shape.sync || Object.keys(shape.local ?? {}).some((key) => page.has(key));
  return read && toldInFakeBrowser(shape);
}

async function expectDamageNotice(shown: boolean) {
  if (shown) {
    expect((await screen.findByText(DAMAGE)).closest('[role="alert"]')).toBeTruthy();
  } else {
    // Any repair has settled by now; nothing was said.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(screen.queryByText(DAMAGE)).toBeNull();
  }
}

function expectNoRecoveryPage() {
  expect(screen.queryByRole('heading', { name: 'Something went wrong' })).toBeNull();
}

describe.each(CORRUPT_SHAPES)('$name', (shape) => {
  test('the popup opens usable', async () => {
    await prefill(shape);
    await renderPopup();
    expectNoRecoveryPage();
    expect(screen.getByRole('heading', { name: 'remote.it' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Settings' })).toBeTruthy();
    // Whatever survived: the search over the saved services, an import button, or the way to sign in.
    await waitFor(() =>
      expect(
        screen.queryByRole('searchbox', { name: 'Search services' }) ??
          screen.queryByRole('button', { name: /^(Sign in|Import services from your account)$/ }),
      ).toBeTruthy(),
    );
    await expectDamageNotice(tellsOn(POPUP_KEYS, shape));
    expectNoRecoveryPage();
  });

  test('the options page opens usable', async () => {
    await prefill(shape);
    await renderOptions();
    expectNoRecoveryPage();
    // Signed in, or (when the sign-in was damaged) asked to sign in again.
    for (const name of [/^(Account|Sign in to remote\.it)$/, 'Services', 'Connections', 'Advanced'])
      expect(screen.getByRole('heading', { name, level: 2 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add service' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
    await expectDamageNotice(tellsOn(OPTIONS_KEYS, shape));
    expectNoRecoveryPage();
  });
});
