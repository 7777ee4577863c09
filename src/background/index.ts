/**
 * Background entry point: registers every listener synchronously at top level (so an event can wake the
 * worker and reach its handler), then brings storage and connections up to date.
 */
import browser from '../shared/browser';
import { onAlarm } from './alarms';
import { onConnectionsChanged, refreshBadge } from './badge';
import { onInstalled } from './install';
import { onWorkerStart } from './lifecycle/reconcile';
import { onTabCreated, onTabRemoved, onTabReplaced, onTabUpdated } from './lifecycle/tab-membership';
import { onCatalogChanged, onMenuClicked } from './menus';
import { onMessage } from './router';

browser.runtime.onInstalled.addListener(onInstalled);
browser.runtime.onMessage.addListener(onMessage);
browser.tabs.onCreated.addListener(onTabCreated);
browser.tabs.onUpdated.addListener(onTabUpdated);
browser.tabs.onRemoved.addListener(onTabRemoved);
browser.tabs.onReplaced.addListener(onTabReplaced);
browser.alarms.onAlarm.addListener(onAlarm);
browser.contextMenus.onClicked.addListener(onMenuClicked);
browser.storage.onChanged.addListener(onConnectionsChanged);
browser.storage.onChanged.addListener(onCatalogChanged);

void onWorkerStart().finally(refreshBadge);
