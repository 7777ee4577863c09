/**
 * Background entry point: registers every listener synchronously at top level (so an event can wake the
 * worker and reach its handler), then reconciles stored connections with the browser.
 */
import browser from '../shared/browser';
import { onAlarm } from './alarms';
import { onConnectionsChanged, refreshBadge } from './badge';
import { onTabCreated, onTabRemoved, onWorkerStart } from './connections';
import { onInstalled } from './install';
import { onCatalogChanged, onMenuClicked } from './menus';
import { onMessage } from './router';

browser.runtime.onInstalled.addListener(onInstalled);
browser.runtime.onMessage.addListener(onMessage);
browser.tabs.onCreated.addListener(onTabCreated);
browser.tabs.onRemoved.addListener(onTabRemoved);
browser.alarms.onAlarm.addListener(onAlarm);
browser.contextMenus.onClicked.addListener(onMenuClicked);
browser.storage.onChanged.addListener(onConnectionsChanged);
browser.storage.onChanged.addListener(onCatalogChanged);

void onWorkerStart().finally(refreshBadge);
