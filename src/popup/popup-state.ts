/** Everything the popup shows, read straight from storage: no worker round trip, no network. */
import browser, { type Storage } from '../shared/browser';
import type { SavedService } from '../shared/catalog';
import { CHOICE_FALLBACK_KEYS, readWithChoices } from '../shared/storage/choices';
import type { ConnectionRecord, PendingStop } from '../shared/storage/connections';
import type { Account, Notice, Preferences } from '../shared/storage/schema';

export interface PopupState {
  account: Account | undefined;
  services: SavedService[];
  preferences: Preferences;
  connections: ConnectionRecord[];
  pendingStops: PendingStop[];
  connecting: Record<string, number>;
  notices: Notice[];
  lastUsed: Record<string, number>;
}

/** The storage.local keys the popup reads; everything it shows comes from these and the person's choices. */
export const POPUP_LOCAL_KEYS = [
  'account',
  'connections',
  'pendingStops',
  'connecting',
  'notices',
  'lastUsed',
] as const;

export async function loadPopupState(): Promise<PopupState> {
  const local = await readWithChoices(...POPUP_LOCAL_KEYS);
  return {
    account: local.account,
    services: local.services,
    preferences: local.preferences,
    connections: Object.values(local.connections).sort((a, b) => b.startedAt - a.startedAt),
    pendingStops: Object.values(local.pendingStops),
    connecting: local.connecting,
    notices: local.notices,
    lastUsed: local.lastUsed,
  };
}

const WATCHED_LOCAL = new Set<string>([...POPUP_LOCAL_KEYS, ...CHOICE_FALLBACK_KEYS]);

/** Calls back with fresh state whenever something the popup shows changes; returns the unsubscribe. */
export function watchPopupState(onChange: (state: PopupState) => void): () => void {
  const listener = (changes: Record<string, Storage.StorageChange>, area: string) => {
    if (area === 'sync' || Object.keys(changes).some((key) => WATCHED_LOCAL.has(key))) {
      void loadPopupState().then(onChange);
    }
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
