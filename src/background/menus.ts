/** The toolbar button's context menu: connect a favourite, or stop everything, without opening the popup. */
import browser from '../shared/browser';
import type { SavedService } from '../shared/catalog';
import { serialQueue } from '../shared/serial';
import { addNotice } from '../shared/storage/local';
import { readCatalog } from '../shared/storage/choices';
import { connectService } from './lifecycle/connect';
import { stopAll } from './lifecycle/stop-queue';

const CONNECT_PREFIX = 'connect:';
const STOP_ALL = 'stop-all';
/** Chrome shows at most six top-level items on the action menu; favourites go in a submenu. */
const MAX_FAVOURITES = 12;

function isCatalogChange(changes: Record<string, unknown>, area: string): boolean {
  return (area === 'sync' && 'catalog.meta' in changes) || (area === 'local' && 'catalogFallback' in changes);
}

const rebuilds = serialQueue();

/** Menus persist across worker restarts, so they are rebuilt (never re-created blindly) from the catalog. */
export function rebuildMenus(): Promise<void> {
  return rebuilds(async () => {
    const favourites = (await readCatalog()).filter((service) => service.favourite).slice(0, MAX_FAVOURITES);
    await browser.contextMenus.removeAll();
    browser.contextMenus.create({
      id: 'connect',
      title: 'Connect',
      contexts: ['action'],
      enabled: favourites.length > 0,
    });
    for (const service of favourites) {
      browser.contextMenus.create({
        id: `${CONNECT_PREFIX}${service.id}`,
        parentId: 'connect',
        title: menuTitle(service),
        contexts: ['action'],
      });
    }
    browser.contextMenus.create({ id: STOP_ALL, title: 'Stop all connections', contexts: ['action'] });
  }).catch(() => undefined);
}

/**
 * Firefox reads a single `&` in a menu title as the mark of an access key and hides it; `&&` shows one.
 * Chrome shows titles as written.
 */
function menuText(text: string): string {
  const firefox = browser.runtime.getURL('').startsWith('moz-extension:');
  return firefox ? text.replaceAll('&', '&&') : text;
}

function menuTitle(service: SavedService): string {
  return menuText(service.online === false ? `${service.name} (offline)` : service.name);
}

export function onCatalogChanged(changes: Record<string, unknown>, area: string): void {
  if (isCatalogChange(changes, area)) void rebuildMenus();
}

export async function onMenuClicked(info: { menuItemId: string | number }): Promise<void> {
  const id = String(info.menuItemId);
  if (id === STOP_ALL) return stopAll();
  if (!id.startsWith(CONNECT_PREFIX)) return;
  try {
    await connectService(id.slice(CONNECT_PREFIX.length));
  } catch (error) {
    // No popup is open to show it: keep it for the next time the popup opens.
    await addNotice('error', (error as Error).message);
  }
}
