import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';

type Target = 'chrome' | 'firefox';
type Manifest = Record<string, unknown> & { background: Record<string, unknown>; permissions: string[] };

/** One manifest.json serves both browsers; each build drops the keys the other browser would warn about. */
export function manifestFor(target: Target): Manifest {
  const manifest = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8')) as Manifest;
  const { service_worker, scripts, type } = manifest.background;
  if (target === 'chrome') {
    manifest.background = { service_worker, type };
    delete manifest.browser_specific_settings;
  } else {
    // Firefox runs MV3 background scripts as an event page, which has a DOM: no offscreen document needed.
    manifest.background = { scripts, type };
    manifest.permissions = manifest.permissions.filter((permission) => permission !== 'offscreen');
    delete manifest.minimum_chrome_version;
  }
  return manifest;
}

const nativeBrowser = new URL('./src/shared/native-browser.ts', import.meta.url).pathname;
const e2eTimeout = 120_000;
/** Unit and DOM tests get an in-memory browser where the extension imports webextension-polyfill. */
const fakeBrowserAlias = {
  'webextension-polyfill': new URL('./test/unit/fake-polyfill.ts', import.meta.url).pathname,
};

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    // crxjs takes over the build and its output folder: tests only need Preact's JSX.
    plugins: process.env.VITEST
      ? [preact()]
      : [preact(), crx({ manifest: manifestFor(target) as unknown as ManifestV3Export, browser: target })],
    // Both browsers' MV3 APIs return promises: the builds use them directly (src/shared/native-browser.ts) and
    // leave webextension-polyfill to the types.
    resolve: process.env.VITEST ? {} : { alias: { 'webextension-polyfill': nativeBrowser } },
    build: {
      outDir: `dist/${target}`,
      // Chrome and Firefox both support <link rel="modulepreload">.
      modulePreload: { polyfill: false },
      emptyOutDir: true,
      // Minified: the popup and the worker load and parse less (see the bench's size rows). Store reviewers get
      // the readable sources in the source zip (`npm run package`) and rebuild with `npm run build-for-amo`;
      // the source maps map every line back.
      minify: true,
      sourcemap: true,
      target: 'es2022',
      // Chrome's clipboard helper page; Firefox's background page has a DOM and copies without one.
      rollupOptions: target === 'chrome' ? { input: { offscreen: 'src/offscreen/offscreen.html' } } : {},
    },
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'node',
            alias: fakeBrowserAlias,
            include: ['test/unit/**/*.test.ts'],
            setupFiles: ['test/unit/setup.ts'],
            benchmark: { include: ['test/unit/**/*.bench.ts'] },
          },
        },
        {
          extends: true,
          test: {
            name: 'dom',
            environment: 'jsdom',
            alias: fakeBrowserAlias,
            include: ['test/dom/**/*.test.tsx'],
            setupFiles: ['test/unit/setup.ts', 'test/dom/setup.ts'],
          },
        },
        {
          extends: true,
          test: { name: 'simulator', environment: 'node', include: ['test/simulator/**/*.test.ts'] },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['test/e2e/**/*.test.ts'],
            testTimeout: e2eTimeout,
            hookTimeout: e2eTimeout,
            fileParallelism: false,
            globalSetup: ['test/e2e/global-setup.ts'],
            // A browser on a busy 2-core machine can take a few seconds to show what a poll waits for.
            expect: { poll: { timeout: 10_000 } },
          },
        },
      ],
    },
  };
});
