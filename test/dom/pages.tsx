/** The real popup and options page, rendered from the in-memory browser's storage as the extension does. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { render } from '@testing-library/preact';
import { vi } from 'vitest';
import { App as OptionsApp } from '../../src/options/App';
import { loadOptionsState } from '../../src/options/options-state';
import { App as PopupApp } from '../../src/popup/App';
import { loadPopupState } from '../../src/popup/popup-state';
import { ErrorBoundary } from '../../src/shared/ErrorBoundary';
import type { SavedService } from '../../src/shared/catalog';
import { writeCatalog } from '../../src/shared/storage/choices';

export async function signedInWith(services: SavedService[]): Promise<void> {
  await fakeBrowser.storage.local.set({
    schemaVersion: 2,
    secrets: { sessionId: 'session-1', developerKey: 'DEVKEY', token: 'TOKEN', authhash: 'HASH' },
    account: { email: 'demo@example.com', tokenExpiresAt: null },
  });
  await writeCatalog(services);
}

/** Both pages start the way their main.tsx does: one read of storage, then the App inside its error boundary. */
export async function renderPopup(onRecover = vi.fn()) {
  const initial = await loadPopupState();
  return render(
    <ErrorBoundary onRecover={onRecover}>
      <PopupApp initial={initial} />
    </ErrorBoundary>,
  );
}

export async function renderOptions(onRecover = vi.fn()) {
  const initial = await loadOptionsState();
  return render(
    <ErrorBoundary onRecover={onRecover}>
      <OptionsApp initial={initial} />
    </ErrorBoundary>,
  );
}

/** Every write to storage fails the way a browser reports a full storage area. */
export function fillStorage(): void {
  const full = new Error('QUOTA_BYTES quota exceeded');
  vi.spyOn(fakeBrowser.storage.local, 'set').mockRejectedValue(full);
  vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(full);
}
