/** The one place the WebExtension namespace is imported: promise-based `browser.*` in Chrome and Firefox. */
import browser from 'webextension-polyfill';

export default browser;
export type { Alarms, Menus, Runtime, Storage, Tabs } from 'webextension-polyfill';
