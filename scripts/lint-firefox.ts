// `web-ext lint` on the Firefox build: errors fail, warnings are shown so a person reviews them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface LintItem {
  code: string;
  file?: string;
  message: string;
}

if (!existsSync('dist/firefox/manifest.json')) {
  console.error('dist/firefox is missing: run `npm run build` first.');
  process.exit(1);
}
const run = spawnSync(
  'npx',
  ['web-ext', 'lint', '--source-dir', 'dist/firefox', '--output', 'json', '--no-input'],
  {
    encoding: 'utf8',
  },
);
let report: {
  errors: LintItem[];
  warnings: LintItem[];
  summary: { errors: number; warnings: number; notices: number };
};
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(run.stdout, run.stderr);
  process.exit(1);
}
const findings: [string, LintItem[]][] = [
  ['error', report.errors],
  ['warning', report.warnings],
];
for (const [level, items] of findings) {
  for (const item of items)
    console.log(`web-ext lint ${level}: ${item.code} ${item.file ?? ''} ${item.message}`);
}
console.log(
  `web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings, ${report.summary.notices} notices`,
);
process.exit(report.summary.errors > 0 ? 1 : 0);
