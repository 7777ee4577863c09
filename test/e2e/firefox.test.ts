/**
 * The Firefox build (MV3 background scripts) in Firefox ESR, driven over WebDriver BiDi: sign-in, import,
 * copy from the background page, a tab whose closing stops the connection after the event page slept, and a
 * second tab on the same proxy that holds it until it navigates elsewhere.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_DEVELOPER_KEY, DEMO_EMAIL, DEMO_PASSWORD } from '../simulator/demo-data';
import { startSimulator, type Simulator } from '../simulator/server';
import { ROOT, findFirefox, prepareBuild } from './harness';

const GECKO_ID = 'connect@remoteit-extension.example';
/** Pinned so the test can open the extension's pages (Firefox picks a random one otherwise). */
const UUID = '6a0f4f4e-1b5e-4c33-9a35-5f1d6a1e2b3c';

let simulator: Simulator;
let firefox: Browser;
let extensionDir: string;

beforeAll(async () => {
  simulator = await startSimulator();
  extensionDir = prepareBuild(join(ROOT, 'dist/firefox'));
  firefox = await puppeteer.launch({
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
  await firefox.installExtension(extensionDir);
});
afterAll(async () => {
  await firefox?.close();
  await simulator?.close();
  if (extensionDir) rmSync(extensionDir, { recursive: true, force: true });
});

/**
 * Opens an extension page. Its navigation promise may never settle (puppeteer #14314), and now and then the
 * navigation does not happen at all: wait for content, and navigate again when it does not come.
 */
async function openExtensionPage(path: string, selector: string): Promise<Page> {
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

/** A real mouse click (Firefox grants permission prompts only to real user input). */
async function clickButton(page: Page, text: RegExp) {
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

test('in Firefox: sign in, import, copy an SSH command, open a web service and stop it when its tab closes', async () => {
  const options = await openExtensionPage('src/options/index.html', '#access-key-id');
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
  await (await options.waitForSelector('::-p-text(Developer key and password)'))!.click();
  await options.type('#developer-key', DEMO_DEVELOPER_KEY);
  await options.type('#email', DEMO_EMAIL);
  await options.type('#secret', DEMO_PASSWORD);
  await clickButton(options, /^Sign in$/);
  await options.waitForFunction(() => document.body.innerText.includes(`Signed in as`), { timeout: 10_000 });
  await clickButton(options, /^Import from your account$/);
  await clickButton(options, /^Save all/);
  await options.waitForFunction(() => document.body.innerText.includes('You now have 7 services'), {
    timeout: 10_000,
  });

  const popup = await openExtensionPage('src/popup/index.html', 'input[type=search]');
  await clickButton(popup, /^Connect Garage Pi - SSH/);
  await popup.waitForFunction(() => document.body.innerText.includes('Copied to the clipboard'), {
    timeout: 10_000,
  });
  const [ssh] = simulator.liveConnections();
  expect(await popup.$eval('code', (element) => element.textContent)).toBe(
    `ssh -p ${ssh!.listener.port} 127.0.0.1`,
  );

  const opened = new Promise<Page>((resolve) =>
    firefox.on('targetcreated', (target) => void target.page().then((page) => page && resolve(page))),
  );
  await clickButton(popup, /^Connect Garage Pi - Web UI/);
  const tab = await opened;
  await tab.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  const web = simulator.liveConnections().find((connection) => connection.listener.kind === 'reverse')!;

  await popup.close();
  await options.close();
  // With no extension page open, the event page is unloaded after its idle timeout.
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await tab.close();
  await expect
    .poll(() => simulator.calls('device/connect/stop').map((entry) => entry.body), { timeout: 15_000 })
    .toEqual([{ deviceaddress: '80:00:00:00:00:01:2B:02', connectionid: web.connectionId }]);
  expect(web.listener.closed).toBe(true);

  // A second tab on the same proxy keeps the connection after the first closes; taking that tab to
  // another site ends it after the grace.
  const again = await openExtensionPage('src/popup/index.html', 'input[type=search]');
  const reopened = new Promise<Page>((resolve) =>
    firefox.once('targetcreated', (target) => void target.page().then((page) => page && resolve(page))),
  );
  await clickButton(again, /^Connect Garage Pi - Web UI/);
  const first = await reopened;
  await first.waitForFunction(() => document.title === 'Garage Pi - Web UI', { timeout: 10_000 });
  await again.close();
  const second = await firefox.newPage();
  await second.goto(first.url());
  await first.close();
  const liveWeb = () =>
    simulator.liveConnections().filter((connection) => connection.listener.kind === 'reverse');
  await new Promise((resolve) => setTimeout(resolve, 7000));
  expect(simulator.calls('device/connect/stop')).toHaveLength(1);
  expect(liveWeb()).toHaveLength(1);
  await second.goto(`${simulator.url}/__sim/connections`);
  await expect.poll(() => liveWeb().length, { timeout: 15_000 }).toBe(0);
  await second.close();
});
