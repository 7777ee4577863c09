/** What the options page shows, from storage, kept fresh as other pages and the worker change it. */
import { useEffect, useState } from 'preact/hooks';
import browser from '../shared/browser';
import type { SavedService } from '../shared/catalog';
import { readWithChoices } from '../shared/storage/choices';
import type { Account, Notice, Preferences, Settings } from '../shared/storage/schema';

export interface OptionsState {
  account: Account | undefined;
  settings: Settings;
  services: SavedService[];
  preferences: Preferences;
  rememberedDeveloperKey: string;
  usesAccessKey: boolean;
  /** Shown here too: a damage notice must reach the person on whichever page read the damage. */
  notices: Notice[];
}

export async function loadOptionsState(): Promise<OptionsState> {
  const { account, settings, services, preferences, secrets, notices } = await readWithChoices(
    'account',
    'settings',
    'secrets',
    'notices',
  );
  // Only the developer key and the way of signing in leave the secrets; no token or secret reaches this state.
  return {
    account,
    settings,
    services,
    preferences,
    rememberedDeveloperKey: secrets?.method === 'access-key' ? '' : (secrets?.developerKey ?? ''),
    usesAccessKey: secrets?.method === 'access-key',
    notices,
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
