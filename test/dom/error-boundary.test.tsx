/** A page that fails to render shows what happened and a way out, and never drops the sign-in. */
import { fakeBrowser } from '@webext-core/fake-browser';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, test, vi } from 'vitest';
import { App as PopupApp } from '../../src/popup/App';
import { loadPopupState } from '../../src/popup/popup-state';
import { DEFAULT_ENDPOINT } from '../../src/shared/api';
import { ErrorBoundary } from '../../src/shared/ErrorBoundary';
import type { ConnectionRecord } from '../../src/shared/storage/connections';
import { BASELINE_CONNECTION } from '../corrupt-storage';
import { makeService } from '../fixtures';
import { signedInWith } from './pages';

/** The popup given a record no read would let through (as if a bug skipped the checks): its render throws. */
async function renderFailingPopup(onRecover = vi.fn()) {
  await signedInWith([makeService()]);
  const initial = await loadPopupState();
  const unreadable: ConnectionRecord = { ...BASELINE_CONNECTION, proxy: 'not a url' };
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  render(
    <ErrorBoundary onRecover={onRecover}>
      <PopupApp initial={{ ...initial, connections: [unreadable] }} />
    </ErrorBoundary>,
  );
  return onRecover;
}

describe('the error boundary of the popup and the options page', () => {
  test('says what happened in plain words and offers Reset damaged data and Reload', async () => {
    const onRecover = await renderFailingPopup();
    expect(screen.getByRole('heading', { name: 'Something went wrong' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/stored data is damaged/);
    const reload = screen.getByRole('button', { name: 'Reload' });
    reload.focus();
    expect(document.activeElement).toBe(reload);
    fireEvent.click(reload);
    expect(onRecover).toHaveBeenCalledOnce();
  });

  test('Reset damaged data clears what the pages only display, keeps the sign-in, the connections and the connecting marks', async () => {
    const onRecover = await renderFailingPopup();
    await fakeBrowser.storage.local.set({
      connections: { [BASELINE_CONNECTION.id]: BASELINE_CONNECTION },
      notices: [{ at: 1, kind: 'stopped', text: 'Garage Pi: stopped.' }],
      lastUsed: { [makeService().id]: 1 },
      connecting: { [makeService().id]: 1 },
      settings: { endpoint: 42, requestTimeoutSec: 20 },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Reset damaged data' }));
    await waitFor(() => expect(onRecover).toHaveBeenCalledOnce());
    const local = await fakeBrowser.storage.local.get(null);
    expect(local.notices).toBeUndefined();
    expect(local.lastUsed).toBeUndefined();
    // A stopped worker's marks are how its lost connects are found again.
    expect(local.connecting).toEqual({ [makeService().id]: 1 });
    expect(local.settings).toEqual({ endpoint: DEFAULT_ENDPOINT, requestTimeoutSec: 20 });
    expect(local.secrets).toMatchObject({ token: 'TOKEN' });
    expect(local.account).toMatchObject({ email: 'demo@example.com' });
    expect(local.connections).toEqual({ [BASELINE_CONNECTION.id]: BASELINE_CONNECTION });
  });
});
