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
import { onCommand } from './commands';
import { onCatalogChanged, onMenuClicked, onMenuShown } from './menus';
import { onConnectionsChangedForWarnings } from './notifications';
import { onOmniboxInputChanged, onOmniboxInputEntered, setDefaultSuggestion } from './omnibox';
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
browser.storage.onChanged.addListener(onConnectionsChangedForWarnings);
browser.commands.onCommand.addListener(onCommand);
browser.omnibox.onInputStarted.addListener(setDefaultSuggestion);
browser.omnibox.onInputChanged.addListener(onOmniboxInputChanged);
browser.omnibox.onInputEntered.addListener(onOmniboxInputEntered);
// Firefox only: the selection item says what it will connect as the menu opens.
(browser as { menus?: typeof browser.menus }).menus?.onShown.addListener(onMenuShown);

void onWorkerStart().finally(refreshBadge);
