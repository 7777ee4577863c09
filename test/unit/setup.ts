import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, vi } from 'vitest';
import { speak } from './fake-i18n';

// Modules may read messages as they load, before the first test.
speak('en');

beforeEach(() => {
  fakeBrowser.reset();
  speak('en');
  // APIs the fake leaves unimplemented.
  Object.assign(fakeBrowser.contextMenus, { create: vi.fn(), removeAll: vi.fn(async () => undefined) });
  Object.assign(fakeBrowser.action, {
    setBadgeText: vi.fn(async () => undefined),
    setBadgeBackgroundColor: vi.fn(async () => undefined),
  });
  Object.assign(fakeBrowser.permissions, { request: vi.fn(async () => true) });
});

afterEach(() => {
  vi.restoreAllMocks();
});
