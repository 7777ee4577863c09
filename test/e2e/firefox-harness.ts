/**
 * The Firefox build (MV3 background scripts) in Firefox ESR over WebDriver BiDi, shared by the Firefox tests:
 * a launch with the build installed and the simulator's hosts allowed, extension pages opened by a pinned
 * UUID, real clicks, and the options page pointed at the simulator.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page, type Target } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { findFirefox } from './browsers';
import { ROOT, prepareBuild } from './harness';

const GECKO_ID = 'connect@remoteit-extension.example';
/** Pinned so the test can open the extension's pages (Firefox picks a random one otherwise). */
const UUID = '6a0f4f4e-1b5e-4c33-9a35-5f1d6a1e2b3c';

export interface FirefoxExtension {
  firefox: Browser;
  /** Opens an extension page and waits for `selector` in it. */
  openPage(path: string, selector: string): Promise<Page>;
  /** The options page, with the endpoint in storage set to the simulator's and shown by the page. */
  openOptionsAt(simulator: Simulator): Promise<Page>;
  openPopup(): Promise<Page>;
  /** The next page Firefox opens (a tab the extension opens for a web service). */
  nextPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Firefox with the Firefox build installed as a temporary add-on, in a fresh profile. */
export async function launchFirefoxExtension(): Promise<FirefoxExtension> {
  const extensionDir = prepareBuild(join(ROOT, 'dist/firefox'));
  const firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    // Firefox 153 refuses WebDriver navigation to moz-extension:// without it.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
      // Let the background event page go to sleep after 2 s without events.
      'extensions.background.idle.timeout': 2000,
    },
  });
  try {
    await firefox.installExtension(extensionDir);
  } catch (error) {
    await firefox.close();
    rmSync(extensionDir, { recursive: true, force: true });
    throw error;
  }

  /**
   * Its navigation promise may never settle (puppeteer #14314), and now and then the navigation does not
   * happen at all: wait for content, and navigate again when it does not come.
   */
  async function openPage(path: string, selector: string): Promise<Page> {
    const page = await firefox.newPage();
    for (let attempt = 1; ; attempt++) {
      void page.goto(`moz-extension://${UUID}/${path}`).catch(() => undefined);
      try {
        await page.waitForSelector(selector, { timeout: 5_000 });
        return page;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
  }

  return {
    firefox,
    openPage,
    async openOptionsAt(simulator) {
      const options = await openPage('src/options/index.html', '#account');
      await options.evaluate(
        (endpoint) => browser.storage.local.set({ settings: { endpoint, requestTimeoutSec: 10 } }),
        simulator.apiBase,
      );
      // The page follows storage: its Advanced section shows the new endpoint once it has it.
      await options.waitForFunction(
        (endpoint) => document.querySelector<HTMLInputElement>('#endpoint')?.value === endpoint,
        { timeout: 10_000 },
        simulator.apiBase,
      );
      return options;
    },
    openPopup: () => openPage('src/popup/index.html', 'input[type=search]'),
    nextPage: () =>
      new Promise<Page>((resolve) => {
        const listener = (target: Target) =>
          void target.page().then((page) => {
            if (!page) return;
            firefox.off('targetcreated', listener);
            resolve(page);
          });
        firefox.on('targetcreated', listener);
      }),
    async close() {
      await firefox.close();
      rmSync(extensionDir, { recursive: true, force: true });
    },
  };
}

/** A real mouse click (Firefox grants permission prompts only to real user input). */
export async function clickButton(page: Page, text: RegExp): Promise<void> {
  const button = await page.waitForFunction(
    (pattern) =>
      [...document.querySelectorAll('button')].find((candidate) =>
        new RegExp(pattern).test(candidate.textContent ?? ''),
      ),
    { timeout: 10_000 },
    text.source,
  );
  await (button as unknown as ElementHandle<HTMLButtonElement>).click();
}

/** Waits until the page shows `text` somewhere. */
export async function waitForText(page: Page, text: string, timeout = 10_000): Promise<void> {
  await page.waitForFunction((wanted) => document.body.innerText.includes(wanted), { timeout }, text);
}

/** The simulator and Firefox with the build installed, shared by the tests of one file. */
export function firefoxEnvironment(): { simulator: Simulator; extension: FirefoxExtension } {
  const environment = {} as { simulator: Simulator; extension: FirefoxExtension };
  beforeAll(async () => {
    environment.simulator = await startSimulator();
    environment.extension = await launchFirefoxExtension();
  });
  afterAll(async () => {
    await environment.extension?.close();
    await environment.simulator?.close();
  });
  return environment;
}

/** Signs in with the demo developer key and password, as a person does, then imports every service. */
export async function signInAndImport(options: Page): Promise<void> {
  await (await options.waitForSelector('::-p-text(Developer key and password)'))!.click();
  await options.type('#developer-key', DEMO_DEVELOPER_KEY);
  await options.type('#email', DEMO_EMAIL);
  await options.type('#secret', DEMO_PASSWORD);
  await clickButton(options, /^Sign in$/);
  await waitForText(options, 'Signed in as');
  await clickButton(options, /^Import from your account$/);
  await clickButton(options, /^Save all/);
  await waitForText(options, 'You now have 7 services');
}
