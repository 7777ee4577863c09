/** The toolbar badge counts active connections. */
import browser, { type Storage } from '../shared/browser';
import { readLocal } from '../shared/storage/local';

export async function showConnectionCount(count: number): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ color: '#0a6ebd' });
  await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
}

export function onConnectionsChanged(changes: Record<string, Storage.StorageChange>, area: string): void {
  if (area !== 'local' || !('connections' in changes)) return;
  const connections = (changes.connections?.newValue ?? {}) as Record<string, unknown>;
  void showConnectionCount(Object.keys(connections).length);
}

/** The badge is per browser session; restore it from storage when the worker starts. */
export async function refreshBadge(): Promise<void> {
  const { connections } = await readLocal('connections');
  await showConnectionCount(Object.keys(connections).length);
}
