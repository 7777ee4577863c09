/**
 * What the context menus hold, as a pure function of the saved services, when each was last used and how many
 * connections are live. menus.ts applies it; the tests check it for any saved list.
 *
 * - The toolbar button's menu (`action`): Connect ▸ favourites, and Stop all connections.
 * - On a page: remote.it ▸ the favourites, then the most recently used services, at most PAGE_LIMIT, offline
 *   ones marked and disabled; Stop all connections while something is live.
 * - On selected text: remote.it ▸ Connect to “…”. Chrome cannot look at the selection before the menu shows,
 *   so it shows the selection itself (`%s`); Firefox updates the item when the menu opens (menus.onShown) to
 *   "Connect to <name>" or "Connect to <ID>", and hides it when the selection is neither.
 */
import type { SavedService } from '../shared/catalog';
import { t } from '../shared/i18n';
import { searchServices } from '../shared/search';

export type MenuContext = 'action' | 'page' | 'selection';

export interface MenuItem {
  id: string;
  title: string;
  contexts: MenuContext[];
  parentId?: string;
  enabled?: boolean;
  type?: 'separator';
}

export interface MenuInput {
  services: SavedService[];
  lastUsed: Record<string, number>;
  liveConnections: number;
}

/** Chrome shows at most six top-level items on the action menu; favourites go in a submenu. */
export const ACTION_FAVOURITES = 12;
/** Favourites and recently used services on a page's menu: one screen, whatever the saved list. */
export const PAGE_LIMIT = 10;

export const MENU_IDS = {
  actionConnect: 'connect',
  actionStopAll: 'stop-all',
  page: 'page',
  pageEmpty: 'page-empty',
  pageSeparator: 'page-separator',
  pageStopAll: 'page-stop-all',
  selection: 'page-selection',
} as const;
export const ACTION_CONNECT_PREFIX = 'connect:';
export const PAGE_CONNECT_PREFIX = 'page-connect:';

/** Favourites in the popup's order (offline last, then by name). */
function favourites(input: MenuInput): SavedService[] {
  return searchServices(
    input.services.filter((service) => service.favourite),
    '',
    { lastUsed: input.lastUsed },
  );
}

/** The favourites, then the other services by last use, newest first; at most PAGE_LIMIT. */
export function pageServices(input: MenuInput): SavedService[] {
  const recent = input.services
    .filter((service) => !service.favourite && input.lastUsed[service.id])
    .sort((a, b) => input.lastUsed[b.id]! - input.lastUsed[a.id]!);
  return [...favourites(input), ...recent].slice(0, PAGE_LIMIT);
}

/** The Nth favourite (from 1) as the popup lists them: what the "connect favourite N" shortcuts connect. */
export function favouriteAt(input: Omit<MenuInput, 'liveConnections'>, position: number) {
  return favourites({ ...input, liveConnections: 0 })[position - 1];
}

const serviceTitle = (service: SavedService) =>
  service.online === false ? t('serviceOffline', service.name) : service.name;

export function menuModel(input: MenuInput): MenuItem[] {
  const actionFavourites = favourites(input).slice(0, ACTION_FAVOURITES);
  const onPage = pageServices(input);
  const items: MenuItem[] = [
    {
      id: MENU_IDS.actionConnect,
      title: t('connect'),
      contexts: ['action'],
      enabled: actionFavourites.length > 0,
    },
    ...actionFavourites.map((service): MenuItem => ({
      id: `${ACTION_CONNECT_PREFIX}${service.id}`,
      parentId: MENU_IDS.actionConnect,
      title: serviceTitle(service),
      contexts: ['action'],
    })),
    { id: MENU_IDS.actionStopAll, title: t('stopAllConnections'), contexts: ['action'] },
    { id: MENU_IDS.page, title: t('extShortName'), contexts: ['page', 'selection'] },
    {
      id: MENU_IDS.selection,
      parentId: MENU_IDS.page,
      title: t('connectToSelection'),
      contexts: ['selection'],
    },
    ...onPage.map((service): MenuItem => ({
      id: `${PAGE_CONNECT_PREFIX}${service.id}`,
      parentId: MENU_IDS.page,
      title: serviceTitle(service),
      contexts: ['page'],
      enabled: service.online !== false,
    })),
  ];
  if (!onPage.length)
    items.push({
      id: MENU_IDS.pageEmpty,
      parentId: MENU_IDS.page,
      title: t('noFavouritesOrRecent'),
      contexts: ['page'],
      enabled: false,
    });
  if (input.liveConnections > 0)
    items.push(
      {
        id: MENU_IDS.pageSeparator,
        parentId: MENU_IDS.page,
        title: '',
        contexts: ['page'],
        type: 'separator',
      },
      {
        id: MENU_IDS.pageStopAll,
        parentId: MENU_IDS.page,
        title: t('stopAllConnections'),
        contexts: ['page'],
      },
    );
  return items;
}
