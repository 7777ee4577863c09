/** Unit tests run the extension's modules against an in-memory browser instead of webextension-polyfill. */
export { fakeBrowser as default } from '@webext-core/fake-browser';
