import { readFileSync } from 'node:fs';
import { build as viteBuild, type Rolldown } from 'vite';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { crx, type CrxPlugin, type ManifestV3Export } from '@crxjs/vite-plugin';

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
/** Both browsers' MV3 APIs return promises: the builds use them directly and leave the polyfill to the types. */
const buildAlias = { 'webextension-polyfill': nativeBrowser };
/** What the pages' build and the background's build share. */
const sharedBuildOptions = {
  // Minified: the popup and the worker load and parse less (see the bench's size rows). Store reviewers get
  // the readable sources in the source zip (`npm run package`) and rebuild with `npm run build-for-amo`;
  // the source maps map every line back.
  minify: true,
  sourcemap: true,
  target: 'es2022',
} as const;
/** The background's one file, at the root of the build. */
const BACKGROUND_FILE = 'background.js';

/** The background's script, as the manifest names it. */
function backgroundEntry(background: Manifest['background']): string {
  return (background.service_worker ?? (background.scripts as string[])[0]) as string;
}

/**
 * Builds the background on its own into one file. crxjs would build it with the pages, sharing their chunks,
 * and a shared chunk keeps every export any page uses; alone, it keeps only what it uses. One file also has
 * no imports to fetch at start (and no dynamic import(), which Chrome's service workers refuse). crxjs gets a
 * manifest without a background; this plugin puts it back, pointed at the file.
 */
function backgroundBundle(background: Manifest['background']): CrxPlugin {
  return {
    name: 'background-bundle',
    apply: 'build',
    // 'post' like crxjs's background loader, and listed after crx(), so it runs after that loader: the loader
    // must see no background, or it would add a file that imports this one (writeBundle checks).
    enforce: 'post',
    async generateBundle() {
      const { mode, build } = this.environment.config;
      const { output } = (await viteBuild({
        configFile: false,
        root: import.meta.dirname,
        mode,
        logLevel: 'warn',
        publicDir: false,
        resolve: { alias: buildAlias },
        build: {
          ...sharedBuildOptions,
          // The same folder as the pages, so the source map's paths are relative to it as theirs are.
          outDir: build.outDir,
          write: false,
          rolldownOptions: {
            input: backgroundEntry(background),
            output: { entryFileNames: BACKGROUND_FILE, codeSplitting: false },
          },
        },
      })) as Rolldown.RolldownOutput;
      const chunks = output.filter((file) => file.type === 'chunk');
      if (chunks.length !== 1 || chunks[0]!.imports.length || chunks[0]!.dynamicImports.length)
        this.error(`The background must build into ${BACKGROUND_FILE} alone.`);
      // The file and its source map.
      for (const file of output)
        this.emitFile({
          type: 'asset',
          fileName: file.fileName,
          source: file.type === 'chunk' ? file.code : file.source,
        });
    },
    renderCrxManifest(manifest) {
      const file =
        'service_worker' in background ? { service_worker: BACKGROUND_FILE } : { scripts: [BACKGROUND_FILE] };
      return { ...manifest, background: { ...background, ...file } } as typeof manifest;
    },
    writeBundle(_options, bundle) {
      const manifestAsset = bundle['manifest.json'] as Rolldown.OutputAsset;
      const written = JSON.parse(String(manifestAsset.source)) as Manifest;
      if (backgroundEntry(written.background) !== BACKGROUND_FILE)
        this.error(`manifest.json loads the background from ${backgroundEntry(written.background)}.`);
    },
  };
}

const e2eTimeout = 120_000;
/** Unit and DOM tests get an in-memory browser where the extension imports webextension-polyfill. */
const fakeBrowserAlias = {
  'webextension-polyfill': new URL('./test/unit/fake-polyfill.ts', import.meta.url).pathname,
};

export default defineConfig(({ mode, command }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  const manifest = manifestFor(target);
  // A build gets the background from backgroundBundle; the dev server leaves it to crxjs, which reloads it.
  const { background, ...manifestWithoutBackground } = manifest;
  const crxManifest = command === 'build' ? manifestWithoutBackground : manifest;
  return {
    // crxjs builds the pages and the manifest into the output folder, backgroundBundle the background; tests
    // only need Preact's JSX.
    plugins: process.env.VITEST
      ? [preact()]
      : [
          preact(),
          crx({ manifest: crxManifest as unknown as ManifestV3Export, browser: target }),
          backgroundBundle(background),
        ],
    resolve: process.env.VITEST ? {} : { alias: buildAlias },
    build: {
      ...sharedBuildOptions,
      outDir: `dist/${target}`,
      // Chrome and Firefox both support <link rel="modulepreload">.
      modulePreload: { polyfill: false },
      emptyOutDir: true,
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
