/**
 * Part of `npm run bench`: how long the real popup takes, in Chromium with the production build, from
 * navigation to its service list on screen, and from a keystroke to the filtered list, with 50 and 5,000
 * saved services. Reports medians; asserts nothing.
 */
import type { Page } from 'playwright-core';
import type { SavedService } from '../../src/shared/catalog';
import { launchExtension } from '../e2e/harness';
import { startSimulator } from '../simulator/server';

const RUNS = 15;

function catalog(count: number): SavedService[] {
  return Array.from({ length: count }, (_, index) => {
    const hex = index.toString(16).toUpperCase().padStart(4, '0');
    return {
      id: `80:00:00:00:${hex.slice(0, 2)}:${hex.slice(2)}:2B:01`,
      name: `Device ${String(index).padStart(4, '0')} - SSH`,
      device: `Device ${String(index).padStart(4, '0')}`,
      type: 'SSH',
      typeId: 28,
      online: index % 10 !== 9,
      source: 'account',
      favourite: index % 400 === 0,
    };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Milliseconds from navigation start until the first service row is on screen (in the DOM, then a frame). */
async function firstPaint(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { listShownAt?: number }).listShownAt !== undefined);
  return page.evaluate(() => (window as unknown as { listShownAt: number }).listShownAt);
}

/** Runs before the popup's own scripts: notes when its list first appears. */
function watchForList() {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('.services li')) return;
    observer.disconnect();
    requestAnimationFrame(
      () => ((window as unknown as { listShownAt: number }).listShownAt = performance.now()),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Milliseconds from a keystroke to the filtered list being rendered. */
async function keystroke(page: Page, key: string): Promise<number> {
  return page.evaluate(
    (character) =>
      new Promise<number>((resolve) => {
        const input = document.querySelector<HTMLInputElement>('input[type=search]')!;
        const list = document.querySelector('.services')!;
        const start = performance.now();
        const observer = new MutationObserver(() => {
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - start));
        });
        observer.observe(list, { childList: true, subtree: true, characterData: true });
        input.value += character;
        input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      }),
    key,
  );
}

const simulator = await startSimulator();
const extension = await launchExtension(simulator);
try {
  const popupUrl = `chrome-extension://${extension.id}/src/popup/index.html`;
  for (const size of [50, 5000]) {
    await extension.setStorage({
      account: { email: 'bench@example.com', tokenExpiresAt: null },
      catalogFallback: JSON.stringify(catalog(size)),
    });
    const page = await extension.context.newPage();
    await page.addInitScript(watchForList);
    const paints: number[] = [];
    const keys: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      paints.push(await firstPaint(page, popupUrl));
      keys.push(await keystroke(page, '7'));
    }
    await page.close();
    console.log(
      `popup with ${String(size).padStart(4)} services: list on screen ${median(paints).toFixed(0)} ms, ` +
        `keystroke to filtered list ${median(keys).toFixed(1)} ms (median of ${RUNS})`,
    );
  }
} finally {
  await extension.close();
  await simulator.close();
}
