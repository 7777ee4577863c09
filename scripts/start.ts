/**
 * `npm start`: builds the extension, starts the simulator with the demo account, and opens Chromium with the
 * extension loaded and pointed at the simulator. Without a display it says so and explains the manual route.
 */
import { execFileSync } from 'node:child_process';
import { findChromium } from '../test/e2e/browsers';
import { CHROME_BUILD, ROOT, launchChromium, prepareBuild } from '../test/e2e/harness';
import {
  DEMO_ACCESS_KEY_ID,
  DEMO_ACCESS_KEY_SECRET,
  DEMO_DEVELOPER_KEY,
  DEMO_EMAIL,
  DEMO_PASSWORD,
} from '../test/simulator/demo-data';
import { startSimulator } from '../test/simulator/server';

const PORT = Number(process.env.SIMULATOR_PORT ?? 8787);

console.log('Building the extension…');
execFileSync('npx', ['vite', 'build', '--mode', 'chrome', '--logLevel', 'warn'], {
  cwd: ROOT,
  stdio: 'inherit',
});
const simulator = await startSimulator({ port: PORT });

const credentials = [
  `  Access key ID      ${DEMO_ACCESS_KEY_ID}`,
  `  Secret access key  ${DEMO_ACCESS_KEY_SECRET}`,
  'or, with "Developer key and password":',
  `  Developer key      ${DEMO_DEVELOPER_KEY}`,
  `  Email              ${DEMO_EMAIL}`,
  `  Password           ${DEMO_PASSWORD}`,
].join('\n');
console.log(
  `\nThe remote.it simulator is running at ${simulator.apiBase}\nSign in with the demo account:\n${credentials}\n`,
);

function stopOnSignal() {
  const stop = () => void simulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.log(
    [
      'No display was found (DISPLAY is not set), so no browser window can open here. To try it by hand:',
      `  1. In Chrome or Chromium open chrome://extensions, turn on Developer mode, "Load unpacked" → ${CHROME_BUILD}`,
      "  2. Open the extension's options → Advanced → API endpoint:",
      `       ${simulator.apiBase}`,
      '     Save, and allow access to 127.0.0.1 when asked.',
      '  3. Sign in with the demo account above, then Import from your account → Save all.',
      '  4. Click the toolbar button and connect.',
      '',
      'The simulator keeps running until you press Ctrl+C.',
    ].join('\n'),
  );
  stopOnSignal();
} else {
  try {
    findChromium();
  } catch (error) {
    console.error((error as Error).message);
    await simulator.close();
    process.exit(1);
  }
  const context = await launchChromium(prepareBuild(), { headless: false });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  await worker.evaluate(
    (endpoint) => chrome.storage.local.set({ settings: { endpoint, requestTimeoutSec: 15 } }),
    simulator.apiBase,
  );
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`chrome-extension://${id}/src/options/index.html#account`);
  // The demo account's access key, filled in: one click on Sign in.
  await page.getByLabel('Access key ID').fill(DEMO_ACCESS_KEY_ID);
  await page.getByLabel('Secret access key').fill(DEMO_ACCESS_KEY_SECRET);
  await page.getByRole('button', { name: 'Sign in', exact: true }).focus();
  console.log(
    "Chromium is open on the extension's options page with the demo access key filled in: click Sign in.\n" +
      'Close the browser window to stop.',
  );
  stopOnSignal();
  context.on('close', () => void simulator.close().then(() => process.exit(0)));
}
