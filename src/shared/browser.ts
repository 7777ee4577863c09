/** The one place the WebExtension namespace is imported: promise-based `browser.*` in Chrome and Firefox. */
import browser from 'webextension-polyfill';

export default browser;

/** Firefox: its menus, address bar and shortcuts settings differ from Chrome's in small ways. */
export const isFirefox = (): boolean => browser.runtime.getURL('').startsWith('moz-extension:');
export type { Alarms, Menus, Runtime, Storage, Tabs } from 'webextension-polyfill';
