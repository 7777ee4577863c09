/**
 * The context menus: the toolbar button's (connect a favourite, stop all) and the page's (favourites and
 * recently used services, Stop all while something is live, and Connect to a selected service ID or name).
 * What they hold is menu-model.ts; this applies it and handles clicks. Menus persist across worker restarts,
 * so they are rebuilt (removeAll, then create, one rebuild at a time), never created blindly.
 */
import browser, { isFirefox, type Storage } from '../shared/browser';
import { t } from '../shared/i18n';
import { parseSelection, selectionTitle } from '../shared/selection';
import { serialQueue } from '../shared/serial';
import { readWithChoices } from '../shared/storage/choices';
import { connectsSelectedIds } from '../shared/storage/schema';
import { addAndConnect, askToAdd, connectFrom, reportFailure } from './entry-points';
import { stopAll } from './lifecycle/stop-queue';
import { ACTION_CONNECT_PREFIX, MENU_IDS, PAGE_CONNECT_PREFIX, menuModel, type MenuItem } from './menu-model';

function isCatalogChange(changes: Record<string, unknown>, area: string): boolean {
  return (area === 'sync' && 'catalog.meta' in changes) || (area === 'local' && 'catalogFallback' in changes);
}

const count = (value: unknown) => Object.keys((value as object | undefined) ?? {}).length;

/** The page menu shows Stop all while something is live, and the recently used services. */
function isMenuStateChange(changes: Record<string, Storage.StorageChange>, area: string): boolean {
  if (area !== 'local') return false;
  if ('lastUsed' in changes) return true;
  const connections = changes.connections;
  return !!connections && count(connections.oldValue) > 0 !== count(connections.newValue) > 0;
}

/**
 * Firefox reads a single `&` in a menu title as the mark of an access key and hides it; `&&` shows one.
 * Chrome shows titles as written.
 */
function menuText(text: string): string {
  return isFirefox() ? text.replaceAll('&', '&&') : text;
}

function create(item: MenuItem): void {
  const { type, enabled, ...rest } = item;
  browser.contextMenus.create({
    ...rest,
    title: menuText(item.title),
    ...(type ? { type } : {}),
    ...(enabled === false ? { enabled } : {}),
    // Firefox shows the selection item only once it has looked at the selection (onMenuShown).
    ...(item.id === MENU_IDS.selection && isFirefox() ? { visible: false } : {}),
  });
}

const rebuilds = serialQueue();

export function rebuildMenus(): Promise<void> {
  return rebuilds(async () => {
    const { services, lastUsed, connections } = await readWithChoices('lastUsed', 'connections');
    const items = menuModel({ services, lastUsed, liveConnections: count(connections) });
    await browser.contextMenus.removeAll();
    for (const item of items) create(item);
  }).catch(() => undefined);
}

export function onCatalogChanged(changes: Record<string, Storage.StorageChange>, area: string): void {
  if (isCatalogChange(changes, area) || isMenuStateChange(changes, area)) void rebuildMenus();
}

interface ClickInfo {
  menuItemId: string | number;
  selectionText?: string;
}

export async function onMenuClicked(info: ClickInfo): Promise<void> {
  const id = String(info.menuItemId);
  if (id === MENU_IDS.actionStopAll || id === MENU_IDS.pageStopAll) return stopAll();
  if (id === MENU_IDS.selection) return connectSelection(info.selectionText);
  for (const prefix of [ACTION_CONNECT_PREFIX, PAGE_CONNECT_PREFIX]) {
    if (id.startsWith(prefix)) {
      await connectFrom('menu', id.slice(prefix.length));
      return;
    }
  }
}

async function connectSelection(text: string | undefined): Promise<void> {
  const { services, preferences } = await readWithChoices();
  const target = parseSelection(text, services);
  if (!target) {
    const shown = (text ?? '').trim().slice(0, 80);
    return reportFailure('menu', t('quoted', shown), t('notServiceIdOrName'));
  }
  if (target.kind === 'saved') {
    await connectFrom('menu', target.service.id);
    return;
  }
  if (connectsSelectedIds(preferences)) await addAndConnect('menu', target.id);
  else await askToAdd(target.id);
}

interface ShownInfo {
  contexts: string[];
  selectionText?: string;
  menuIds: (string | number)[];
}

type FirefoxMenus = { update(id: string, props: object): Promise<void>; refresh(): Promise<void> };

/**
 * Firefox only (Chrome has no onShown): as the menu opens, the selection item says what it will connect, and
 * the page menu is hidden on a selection that is neither a service ID nor a saved service's name.
 */
export async function onMenuShown(info: ShownInfo): Promise<void> {
  if (!info.menuIds.map(String).includes(MENU_IDS.page)) return;
  const menus = (browser as unknown as { menus: FirefoxMenus }).menus;
  const onSelection = info.contexts.includes('selection');
  const target = onSelection ? parseSelection(info.selectionText, (await readWithChoices()).services) : null;
  await menus.update(MENU_IDS.page, { visible: !onSelection || !!target });
  await menus.update(MENU_IDS.selection, {
    visible: !!target,
    ...(target ? { title: menuText(selectionTitle(target)) } : {}),
  });
  await menus.refresh();
}
