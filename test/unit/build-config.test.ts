import { expect, test } from 'vitest';
import type { UserConfig } from 'vite';
import config, { manifestFor } from '../../vite.config';

const buildFor = (mode: 'chrome' | 'firefox') =>
  (config as (env: { mode: string; command: 'build' }) => UserConfig)({ mode, command: 'build' }).build!;

test("Chrome's offscreen clipboard page is built for Chrome only", () => {
  expect(buildFor('chrome').rollupOptions?.input).toEqual({ offscreen: 'src/offscreen/offscreen.html' });
  expect(buildFor('firefox').rollupOptions?.input).toBeUndefined();
  expect(manifestFor('firefox').permissions).not.toContain('offscreen');
});
