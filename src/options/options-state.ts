/** What the options page shows, from storage, kept fresh as other pages and the worker change it. */
import { useEffect, useState } from 'preact/hooks';
import browser from '../shared/browser';
import type { SavedService } from '../shared/catalog';
import {
  readLocal,
  resolveCatalog,
  resolvePreferences,
  type Account,
  type Preferences,
  type Settings,
} from '../shared/storage';

export interface OptionsState {
  account: Account | undefined;
  settings: Settings;
  services: SavedService[];
  preferences: Preferences;
}

export async function loadOptionsState(): Promise<OptionsState> {
  const [local, sync] = await Promise.all([
    readLocal('account', 'settings', 'catalogFallback', 'preferencesFallback'),
    browser.storage.sync.get(null).catch(() => ({})),
  ]);
  return {
    account: local.account,
    settings: local.settings,
    services: resolveCatalog(local.catalogFallback, sync),
    preferences: resolvePreferences(local.preferencesFallback, sync),
  };
}

export function useOptionsState(initial: OptionsState): OptionsState {
  const [state, setState] = useState(initial);
  useEffect(() => {
    const listener = () => void loadOptionsState().then(setState);
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, []);
  return state;
}
