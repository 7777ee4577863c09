/**
 * `npm run bench` after the unit benchmarks and the build: every budget of the production build measured in
 * one headless Chromium against the simulator (which answers at once), medians of 15. Prints a table and
 * writes bench-results.json; exits non-zero when a budget is missed.
 *
 * The floor is a page added to the bench's copy of the build only (never to dist/): the same extension
 * origin and stylesheet, 20 rows painted by a few lines of plain DOM code, no framework, no storage read.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import type { SavedService } from '../../src/shared/catalog';
import { CHROME_BUILD, launchExtension, ROOT } from '../e2e/harness';
import { startSimulator } from '../simulator/server';

const RUNS = 15;
const WEB_SERVICE = 'Garage Pi - Web UI';
const FLOOR_PATH = 'bench/floor.html';

// ---------------------------------------------------------------------------------------------------------
// JavaScript sizes: the module graph a page or the worker loads, each file gzipped on its own.

/** Static imports and re-exports, and dynamic imports (the page loads those at start too). */
const IMPORT = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]*?\bfrom\s*|\(\s*)?["'`]([^"'`]+\.js)["'`]/g;

function moduleGraph(build: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(build, file), 'utf8');
    for (const [, specifier] of code.matchAll(IMPORT)) {
      visit(specifier!.startsWith('/') ? specifier!.slice(1) : posix.join(posix.dirname(file), specifier!));
    }
  };
  entries.forEach(visit);
  return [...seen];
}

function gzipKb(build: string, files: string[]): number {
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(build, file))).length, 0);
  return bytes / 1000;
}

/** The scripts an HTML page of the build loads: its module scripts and module preloads, then their imports. */
function pageScripts(build: string, htmlPath: string): string[] {
  const html = readFileSync(join(build, htmlPath), 'utf8');
  const entries = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+\.js)"/g)].map(
    ([, url]) => (url!.startsWith('/') ? url!.slice(1) : posix.join(posix.dirname(htmlPath), url!)),
  );
  return moduleGraph(build, entries);
}

function workerScripts(build: string): string[] {
  const manifest = JSON.parse(readFileSync(join(build, 'manifest.json'), 'utf8')) as {
    background: { service_worker: string };
  };
  return moduleGraph(build, [manifest.background.service_worker]);
}

// ---------------------------------------------------------------------------------------------------------
// The floor page, written into the bench's copy of the build.

function addFloorPage(dir: string): void {
  const popupHtml = readFileSync(join(dir, 'src/popup/index.html'), 'utf8');
  const stylesheets = [...popupHtml.matchAll(/<link rel="stylesheet"[^>]*>/g)].map(([tag]) => tag).join('');
  const file = join(dir, FLOOR_PATH);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    `<!doctype html><html lang="en"><head><meta charset="utf-8" /><meta name="color-scheme" content="light dark" />` +
      `<title>floor</title>${stylesheets}</head><body><div id="app"></div>` +
      `<script type="module" src="./floor.js"></script></body></html>`,
  );
  writeFileSync(
    join(dir, 'bench/floor.js'),
    `const main = document.createElement('main');
const list = document.createElement('ul');
list.className = 'services';
for (let index = 0; index < 20; index++) {
  const row = document.createElement('li');
  const button = document.createElement('button');
  button.className = 'connect';
  button.textContent = 'Device ' + index + ' - SSH';
  row.append(button);
  list.append(row);
}
main.append(list);
document.getElementById('app').append(main);
`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Measurements.

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

/** The wall clock in milliseconds with sub-millisecond resolution; the same clock as the browser's. */
const wallClock = () => performance.timeOrigin + performance.now();

/** Milliseconds from navigation start until the first service row is on screen (in the DOM, then a frame). */
async function firstPaint(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { listShownAt?: number }).listShownAt !== undefined);
  return page.evaluate(() => (window as unknown as { listShownAt: number }).listShownAt);
}

/** Runs before the page's own scripts: notes when its list first appears. */
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

/** Milliseconds from a keystroke to the filtered list being rendered (then a frame). */
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

/** Clicks Connect on the named service in the popup; returns the wall-clock time of the click. */
function clickConnect(popup: Page, name: string): Promise<number> {
  return popup.evaluate((serviceName) => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('button.connect')].find(
      (candidate) => candidate.querySelector('.name')?.textContent === serviceName,
    );
    if (!button) throw new Error(`no Connect button for ${serviceName}`);
    const at = performance.timeOrigin + performance.now();
    button.click();
    return at;
  }, name);
}

interface Row {
  key: string;
  label: string;
  value: number;
  unit: string;
  budget?: number;
  budgetText?: string;
}

const simulator = await startSimulator();
/** When each request reached the simulator, on the wall clock: the log's own stamp has whole milliseconds. */
const arrivals: { path: string; at: number }[] = [];
const push = simulator.log.push.bind(simulator.log);
simulator.log.push = (...entries) => {
  for (const entry of entries) arrivals.push({ path: entry.path, at: wallClock() });
  return push(...entries);
};

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const progress = (text: string) => {
  if (process.env.BENCH_VERBOSE) console.error(`${new Date().toISOString().slice(11, 23)} ${text}`);
};

/**
 * How long the simulator held each request, from its arrival to the end of its answer: for a connect it
 * opens a real listener, time that stands in for remote.it's and is not the extension's.
 */
const served: { url: string; start: number; end: number }[] = [];
(simulator as unknown as { server: Server }).server.prependListener('request', (request, response) => {
  const start = wallClock();
  response.once('finish', () => served.push({ url: request.url ?? '', start, end: wallClock() }));
});
const simulatorTime = (from: number, to: number, pattern: RegExp) =>
  served
    .filter((entry) => entry.start >= from - 5 && entry.start <= to && pattern.test(entry.url))
    .reduce((sum, entry) => sum + entry.end - entry.start, 0);

const isStop = (path: string) => /connect\/stop|disconnect/.test(path);

const extension = await launchExtension(simulator, { extendBuild: addFloorPage });
const results: Row[] = [];
try {
  const { control, id } = extension;
  const popupUrl = `chrome-extension://${id}/src/popup/index.html`;
  const floorUrl = `chrome-extension://${id}/${FLOOR_PATH}`;
  progress('signing in');
  const signInPage = await extension.signIn();
  await extension.importAll(signInPage);
  await signInPage.close();

  // --- Connect, reuse, stop after close (warm and cold), against a service the simulator answers at once.
  /** Connects in a worker that has connected before; and the first connect of a worker another event started. */
  const connectTimes: number[] = [];
  const newWorkerConnectTimes: number[] = [];
  const tabCreateFloor: number[] = [];
  const reuseTimes: number[] = [];
  const warmStops: number[] = [];
  const coldStops: number[] = [];
  let reuseCalls = 0;
  const simulatorMs: number[] = [];
  const popup = await extension.context.newPage();
  /**
   * Listens in the control page for the next `tabs.onCreated` or `tabs.onActivated`; the function returned
   * waits for it: the tab's id, and when it fired on the wall clock.
   */
  const armTabEvent = async (event: 'onCreated' | 'onActivated') => {
    // A string: tsx would wrap a named function in a helper the page does not have.
    await control.evaluate(`window.nextTabEvent = new Promise((resolve) => {
      const listener = (detail) => {
        chrome.tabs.${event}.removeListener(listener);
        resolve({ id: detail.tabId ?? detail.id, at: performance.timeOrigin + performance.now() });
      };
      chrome.tabs.${event}.addListener(listener);
    }); undefined`);
    return () =>
      control.evaluate(
        () => (window as unknown as { nextTabEvent: Promise<{ id: number; at: number }> }).nextTabEvent,
      );
  };
  /** Opens the popup, clicks Connect, and waits until the connection is recorded with its tab. */
  const connect = async (): Promise<{ tabId: number; ms: number }> => {
    await popup.goto(popupUrl);
    await popup.locator('button.connect').first().waitFor();
    const tabCreated = await armTabEvent('onCreated');
    progress('clicking Connect');
    const clickedAt = await clickConnect(popup, WEB_SERVICE);
    const created = await tabCreated();
    await until(async () => {
      const { connections } = (await extension.storage()) as {
        connections?: Record<string, { phase: string; tabIds: number[] }>;
      };
      return Object.values(connections ?? {}).some(
        (record) => record.phase === 'open' && record.tabIds.includes(created.id),
      );
    }, 'the connection to be recorded with its tab');
    await popup.getByText(/opened in a new tab/).waitFor();
    const answering = simulatorTime(clickedAt, created.at, /\/device\/connect\/?$/);
    simulatorMs.push(answering);
    return { tabId: created.id, ms: created.at - clickedAt - answering };
  };
  /** Closes the tab from the browser and returns the milliseconds until the stop reaches the simulator. */
  const closeAndTimeStop = async (tabId: number): Promise<number> => {
    const seen = arrivals.length;
    const closedAt = await control.evaluate((tab) => {
      const at = performance.timeOrigin + performance.now();
      void chrome.tabs.remove(tab);
      return at;
    }, tabId);
    progress('waiting for the stop');
    const stop = await until(() => arrivals.slice(seen).find((arrival) => isStop(arrival.path)), 'the stop');
    await until(async () => {
      const local = await extension.storage();
      const idle = ['connections', 'pendingStops', 'connecting'].every(
        (key) => Object.keys((local[key] as object | undefined) ?? {}).length === 0,
      );
      return idle && simulator.liveConnections().length === 0;
    }, 'nothing left connected');
    return stop.at - closedAt;
  };

  for (let run = 0; run < RUNS; run++) {
    progress(`connect run ${run}`);
    const first = await connect();
    // Every round but the first begins with the worker the last round's cold stop started.
    if (run > 0) newWorkerConnectTimes.push(first.ms);
    // Again, with its tab open behind the popup: that tab comes to the front, without asking remote.it.
    await popup.bringToFront();
    const before = simulator.log.length;
    const tabActivated = await armTabEvent('onActivated');
    const clickedAt = await clickConnect(popup, WEB_SERVICE);
    const activated = await tabActivated();
    if (activated.id !== first.tabId) throw new Error('another tab came to the front');
    reuseTimes.push(activated.at - clickedAt);
    await popup.getByText(/is already open/).waitFor();
    reuseCalls += simulator.log.length - before;
    warmStops.push(await closeAndTimeStop(first.tabId));

    const second = await connect();
    connectTimes.push(second.ms);
    await extension.stopWorker();
    coldStops.push(await closeAndTimeStop(second.tabId));
  }
  await popup.close();

  // For reference: the browser alone creating a tab on a new site, asked by an extension page.
  for (let run = 0; run < RUNS; run++) {
    const tabCreated = await armTabEvent('onCreated');
    const askedAt = await control.evaluate((url) => {
      const at = performance.timeOrigin + performance.now();
      void chrome.tabs.create({ url });
      return at;
    }, `${simulator.url}/__sim/connections`);
    const created = await tabCreated();
    tabCreateFloor.push(created.at - askedAt);
    await control.evaluate((tab) => chrome.tabs.remove(tab), created.id);
  }

  // --- The popup's first render, next to the floor measured in between, and keystrokes over 5,000.
  const floors: number[] = [];
  const renders = new Map<number, number[]>();
  let keystrokes: number[] = [];
  const page = await extension.context.newPage();
  await page.addInitScript(watchForList);
  for (const size of [100, 1000, 5000]) {
    progress(`first render, ${size} services`);
    await extension.setStorage({ catalogFallback: JSON.stringify(catalog(size)) });
    // Let the worker finish what the new catalog sets off (its menus) before timing anything.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const paints: number[] = [];
    const keys: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      floors.push(await firstPaint(page, floorUrl));
      paints.push(await firstPaint(page, popupUrl));
      if (size === 5000) keys.push(await keystroke(page, '7'));
    }
    renders.set(size, paints);
    if (size === 5000) keystrokes = keys;
  }
  await page.close();
  await control.evaluate(() => chrome.storage.local.remove('catalogFallback'));

  const floor = median(floors);
  const popupFiles = pageScripts(CHROME_BUILD, 'src/popup/index.html');
  const workerFiles = workerScripts(CHROME_BUILD);
  results.push(
    { key: 'popup_floor', label: 'floor: 20 rows, no framework, no storage read', value: floor, unit: 'ms' },
    {
      key: 'popup_first_render_100',
      label: 'popup list on screen, 100 services',
      value: median(renders.get(100)!),
      unit: 'ms',
      budget: 1.25 * floor,
      budgetText: '≤ 1.25 × floor',
    },
    {
      key: 'popup_first_render_1000',
      label: 'popup list on screen, 1,000 services',
      value: median(renders.get(1000)!),
      unit: 'ms',
      budget: floor + 50,
      budgetText: '≤ floor + 50',
    },
    {
      key: 'popup_first_render_5000',
      label: 'popup list on screen, 5,000 services',
      value: median(renders.get(5000)!),
      unit: 'ms',
      budget: floor + 50,
      budgetText: '≤ floor + 50',
    },
    {
      key: 'search_keystroke_5000',
      label: 'keystroke to filtered list, 5,000',
      value: median(keystrokes),
      unit: 'ms',
      budget: 16,
    },
    {
      key: 'connect_overhead',
      label: 'click Connect (web) → tab created',
      value: median(connectTimes),
      unit: 'ms',
      budget: 40,
    },
    {
      key: 'connect_overhead_new_worker',
      label: 'the same, first connect of a new worker',
      value: median(newWorkerConnectTimes),
      unit: 'ms',
    },
    {
      key: 'tab_create_floor',
      label: 'floor: an extension page creates a tab',
      value: median(tabCreateFloor),
      unit: 'ms',
    },
    {
      key: 'reuse_connect',
      label: 'click Connect, tab open → tab in front',
      value: median(reuseTimes),
      unit: 'ms',
      budget: 20,
    },
    {
      key: 'reuse_api_calls',
      label: `API calls of ${RUNS} reuses`,
      value: reuseCalls,
      unit: '',
      budget: 0,
      budgetText: '= 0',
    },
    {
      key: 'stop_after_close_warm',
      label: 'tab closed → stop at API, worker running',
      value: median(warmStops),
      unit: 'ms',
      budget: 50,
    },
    {
      key: 'stop_after_close_cold',
      label: 'tab closed → stop at API, worker stopped',
      value: median(coldStops),
      unit: 'ms',
      budget: 500,
    },
    {
      key: 'popup_js_gzip_kb',
      label: `popup JavaScript, gzipped (${popupFiles.length} files)`,
      value: gzipKb(CHROME_BUILD, popupFiles),
      unit: 'KB',
      budget: 20,
    },
    {
      key: 'worker_js_gzip_kb',
      label: `worker JavaScript, gzipped (${workerFiles.length} files)`,
      value: gzipKb(CHROME_BUILD, workerFiles),
      unit: 'KB',
      budget: 15,
    },
  );
  if (process.env.BENCH_VERBOSE) {
    console.log({ floors, renders: Object.fromEntries(renders), keystrokes, connectTimes, reuseTimes });
    console.log({ warmStops, coldStops, simulatorMs, popupFiles, workerFiles });
  }
} finally {
  await extension.close();
  await simulator.close();
}

const held = (row: Row) =>
  row.budget === undefined || (row.budgetText === '= 0' ? row.value === 0 : row.value <= row.budget);
const format = (value: number, unit: string) =>
  unit === 'KB' ? `${value.toFixed(1)} KB` : unit === 'ms' ? `${value.toFixed(1)} ms` : String(value);
const table = results.map((row) => [
  row.label,
  row.budget === undefined
    ? '(reference)'
    : `${row.budgetText ?? `≤ ${row.budget}`}${row.budgetText?.includes('floor') ? ` (${row.budget.toFixed(1)})` : ''}`,
  format(row.value, row.unit),
  row.budget === undefined ? '' : held(row) ? 'held' : 'MISSED',
]);
const header = ['measure', 'budget', `median of ${RUNS}`, ''];
const widths = header.map((title, column) =>
  Math.max(title.length, ...table.map((row) => row[column]!.length)),
);
for (const row of [header, ...table])
  console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));

writeFileSync(
  join(ROOT, 'bench-results.json'),
  `${JSON.stringify(
    Object.fromEntries(results.map((row) => [row.key, Math.round(row.value * 10) / 10])),
    null,
    2,
  )}\n`,
);
console.log('Written to bench-results.json.');
if (!results.every(held)) process.exitCode = 1;
