/**
 * `npm run screenshots`: the real build against the simulator's demo account, photographed as a person sees
 * it — the popup's list, a search, connecting, connected with its countdown, an error, and the options page —
 * in light and dark, into docs/screenshots/ (shown by the README).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchExtension, ROOT } from '../test/e2e/harness';
import { startSimulator } from '../test/simulator/server';

const OUT = join(ROOT, 'docs/screenshots');
const SCHEMES = ['light', 'dark'] as const;

const simulator = await startSimulator();
const extension = await launchExtension(simulator);
mkdirSync(OUT, { recursive: true });

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    // The popup is as wide as its content; the options page is shown at a laptop's width.
    await page.screenshot({ path: join(OUT, `${name}-${colorScheme}.png`), fullPage: true });
  }
}

async function popup(): Promise<Page> {
  const page = await extension.openPopup();
  await page.setViewportSize({ width: 380, height: 520 });
  await page.getByText('7 services').waitFor();
  return page;
}

try {
  const options = await extension.signInWithAccessKey();
  await extension.importAll(options);
  await options.setViewportSize({ width: 900, height: 1200 });
  await options.evaluate(() => window.scrollTo(0, 0));
  await shoot(options, 'options');
  await options.close();

  let page = await popup();
  await shoot(page, 'popup-list');
  await page.getByRole('searchbox').fill('garage');
  await shoot(page, 'popup-search');
  await page.close();

  simulator.addFault({ fault: 'slow', path: 'graphql:connect', delayMs: 4_000, times: 1 });
  page = await popup();
  await page.getByRole('button', { name: 'Connect Garage Pi - SSH' }).click();
  await page.getByText('Connecting…').waitFor();
  await shoot(page, 'popup-connecting');
  await page.getByText('Copied to the clipboard:').waitFor({ timeout: 15_000 });
  await shoot(page, 'popup-connected');
  await page.close();

  page = await popup();
  await page.getByRole('button', { name: 'Connect Cabin Pi - SSH' }).click();
  await page.getByRole('alert').first().waitFor();
  await shoot(page, 'popup-error');
  console.log(`Screenshots written to ${OUT}`);
} finally {
  await extension.close();
  await simulator.close();
}
