/** Fails the e2e run up front, with the fix, when the build or the browser is missing. Never skips. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium, findFirefox } from './browsers';
import { CHROME_BUILD } from './harness';

export default function setup(): void {
  findChromium();
  findFirefox();
  if (!existsSync(join(CHROME_BUILD, 'manifest.json'))) {
    throw new Error('dist/chrome is missing: run `npm run build` (npm test does it for you).');
  }
}
