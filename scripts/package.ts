// Store-ready zips of both builds, plus the sources AMO reviewers rebuild from (`npm run build-for-amo`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('manifest.json', 'utf8')) as { version: string };
rmSync('artifacts', { recursive: true, force: true });
mkdirSync('artifacts');
for (const target of ['chrome', 'firefox']) {
  const file = `remoteit-connect-${target}-${version}.zip`;
  // Source maps stay out of the store packages; the build is minified, the source zip below is readable.
  execFileSync(
    'npx',
    [
      'web-ext',
      'build',
      '--source-dir',
      `dist/${target}`,
      '--artifacts-dir',
      'artifacts',
      '--filename',
      file,
      '--ignore-files',
      '**/*.map',
      '--overwrite-dest',
    ],
    { stdio: 'ignore' },
  );
  console.log(`artifacts/${file}`);
}
execFileSync('git', [
  'archive',
  '--format=zip',
  '-o',
  `artifacts/remoteit-connect-source-${version}.zip`,
  'HEAD',
]);
console.log(`artifacts/remoteit-connect-source-${version}.zip (sources for AMO review)`);
