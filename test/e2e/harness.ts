/**
 * End-to-end harness: the production build in real Chromium, pointed at the simulator. The only change to
 * the build is a host permission for the simulator's loopback origin, which a person grants from the options
 * page when they set a custom endpoint (a permission prompt cannot be clicked in automation).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from './browsers';
import type { Simulator } from '../simulator/server';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
} from '../simulator/demo-data';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROME_BUILD = join(ROOT, 'dist/chrome');

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-default-browser-check',
];

/**
 * What the test build may reach, as a person grants it for a custom endpoint: the simulator's loopback API,
 * and its reverse proxies on `*.localhost` (the stand-in for remote.it's `*.rt3.io`, whose tab URLs the
 * extension must see to know which tabs hold a connection).
 */
export const SIMULATOR_HOST_PERMISSIONS = ['http://127.0.0.1/*', 'http://*.localhost/*'];

/**
 * A copy of a build that may reach the simulator's API and proxies; `extend` may add files to the copy (the
 * benchmark's floor page), never to the build itself.
 */
export function prepareBuild(build = CHROME_BUILD, extend?: (dir: string) => void): string {
  if (!existsSync(join(build, 'manifest.json'))) {
    throw new Error(`${build} is missing: run \`npm run build\` first (npm test does).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'remoteit-ext-'));
  cpSync(build, dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { host_permissions: string[] };
  manifest.host_permissions.push(...SIMULATOR_HOST_PERMISSIONS);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  extend?.(dir);
  return dir;
}

export interface Extension {
  context: BrowserContext;
  id: string;
  /** An extension page kept open to read and write extension storage. */
  control: Page;
  stopWorker(): Promise<void>;
  /** Closes the browser and starts it again on the same profile, restoring the last session's tabs. */
  restartBrowser(): Promise<void>;
  storage(area?: 'local' | 'sync' | 'session'): Promise<Record<string, unknown>>;
  setStorage(values: Record<string, unknown>, area?: 'local' | 'sync'): Promise<void>;
  openPopup(): Promise<Page>;
  /** Clicks Connect on a web service in the popup and returns the tab it opens, loaded. */
  connectInTab(popup: Page, name: string): Promise<Page>;
  openOptions(): Promise<Page>;
  signIn(): Promise<Page>;
  /** Signs in with the demo access key (GraphQL), as a person does in the options page. */
  signInWithAccessKey(): Promise<Page>;
  importAll(optionsPage: Page): Promise<void>;
  /** Sends a typed request to the background as the popup would. */
  request(message: Record<string, unknown>): Promise<unknown>;
  readClipboard(): Promise<string>;
  badgeText(): Promise<string>;
  /** Stops every connection, waits until nothing is left pending, closes every page but the control page. */
  resetConnections(): Promise<void>;
  close(): Promise<void>;
}

/** Chromium with one unpacked extension loaded, in a fresh profile. */
export async function launchChromium(
  extensionDir: string,
  options: { headless: boolean; profile?: string; restoreSession?: boolean },
): Promise<BrowserContext> {
  const profile = options.profile ?? mkdtempSync(join(tmpdir(), 'remoteit-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: options.headless,
    viewport: options.headless ? undefined : null,
    args: [
      ...CHROMIUM_FLAGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      // A browser restart: open the tabs of the last session again.
      ...(options.restoreSession ? ['--restore-last-session'] : []),
    ],
  });
  // Chromium may still be writing as it exits: retry, and never fail a run over a temporary folder.
  if (!options.profile)
    context.on(
      'close',
      () => void rm(profile, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined),
    );
  return context;
}

export async function launchExtension(
  simulator: Simulator,
  options: { requestTimeoutSec?: number; extendBuild?: (dir: string) => void } = {},
): Promise<Extension> {
  const extensionDir = prepareBuild(CHROME_BUILD, options.extendBuild);
  const profile = mkdtempSync(join(tmpdir(), 'remoteit-profile-'));
  const { context, id, control } = await openBrowser(extensionDir, profile, false);

  const extension: Extension = {
    context,
    id,
    control,
    async restartBrowser() {
      await extension.context.close();
      Object.assign(extension, await openBrowser(extensionDir, profile, true));
    },
    /** Stops the service worker through CDP and waits until Chrome reports it stopped (a pending event may restart it). */
    async stopWorker() {
      const cdp = await extension.context.newCDPSession(extension.control);
      let stopped = false;
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        for (const version of versions) {
          if (
            version.scriptURL.startsWith(`chrome-extension://${id}/`) &&
            version.runningStatus === 'stopped'
          )
            stopped = true;
        }
      });
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      const deadline = Date.now() + 10_000;
      while (!stopped) {
        if (Date.now() > deadline) throw new Error('Chrome did not report the service worker stopped.');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await cdp.detach();
    },
    storage: (area = 'local') => extension.control.evaluate((name) => chrome.storage[name].get(null), area),
    setStorage: (values, area = 'local') =>
      extension.control.evaluate(([name, items]) => chrome.storage[name].set(items), [area, values] as const),
    async openPopup() {
      const page = await extension.context.newPage();
      await page.goto(`chrome-extension://${id}/src/popup/index.html`);
      return page;
    },
    async connectInTab(popup, name) {
      const opened = extension.context.waitForEvent('page');
      await popup.getByRole('button', { name: `Connect ${name}` }).click();
      const tab = await opened;
      await tab.waitForLoadState();
      return tab;
    },
    async openOptions() {
      const page = await extension.context.newPage();
      await page.goto(`chrome-extension://${id}/src/options/index.html`);
      return page;
    },
    /** Signs in the way a person does: the options page, developer key, email and password. */
    async signIn() {
      const page = await extension.openOptions();
      await page.getByLabel('Developer key and password').check();
      await page.getByLabel('Developer key', { exact: true }).fill(DEMO_DEVELOPER_KEY);
      await page.getByLabel('Email').fill(DEMO_EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText('Signed in as').waitFor();
      return page;
    },
    async signInWithAccessKey() {
      const page = await extension.openOptions();
      await page.getByLabel('Access key', { exact: true }).check();
      await page.getByLabel('Access key ID').fill(DEMO_ACCESS_KEY_ID);
      await page.getByLabel('Secret access key').fill(DEMO_ACCESS_KEY_SECRET);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByText('Signed in as').waitFor();
      return page;
    },
    /** Imports every service of the account from the options page. */
    async importAll(page) {
      await page.getByRole('button', { name: 'Import from your account' }).click();
      await page.getByRole('button', { name: /^Save all/ }).click();
      await page.getByText(/^Saved\. You now have/).waitFor();
    },
    request: (message) => extension.control.evaluate((body) => chrome.runtime.sendMessage(body), message),
    async readClipboard() {
      // Clipboard reads cannot be granted to extension origins; a loopback page of the simulator can read it.
      await extension.context.grantPermissions(['clipboard-read'], { origin: simulator.url });
      const page = await extension.context.newPage();
      await page.goto(`${simulator.url}/__sim/connections`);
      await page.bringToFront();
      const text = await page.evaluate(() => navigator.clipboard.readText());
      await page.close();
      return text;
    },
    badgeText: () => extension.control.evaluate(() => chrome.action.getBadgeText({})),
    async resetConnections() {
      for (const page of extension.context.pages()) if (page !== extension.control) await page.close();
      await extension.request({ type: 'stop-all' });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const local = await extension.storage();
        const idle = ['connections', 'pendingStops', 'connecting'].every(
          (key) => Object.keys((local[key] as object | undefined) ?? {}).length === 0,
        );
        if (idle && simulator.liveConnections().length === 0) break;
        if (Date.now() > deadline)
          throw new Error(`Connections left behind: ${JSON.stringify(local.pendingStops)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await extension.setStorage({ notices: [] });
    },
    async close() {
      await extension.context.close();
      rmSync(extensionDir, { recursive: true, force: true });
      await rm(profile, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
    },
  };
  await extension.setStorage({
    settings: { endpoint: simulator.apiBase, requestTimeoutSec: options.requestTimeoutSec ?? 15 },
  });
  return extension;
}

/** Chromium on a profile, with the extension's id and an extension page kept open to drive storage. */
async function openBrowser(
  extensionDir: string,
  profile: string,
  restoreSession: boolean,
): Promise<Pick<Extension, 'context' | 'id' | 'control'>> {
  const context = await launchChromium(extensionDir, { headless: true, profile, restoreSession });
  const firstWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(firstWorker.url()).host;
  const control = await context.newPage();
  await control.goto(`chrome-extension://${id}/src/options/index.html#control`);
  return { context, id, control };
}
