/**
 * Finds the browsers the end-to-end tests and `npm start` drive. On Debian or Ubuntu a missing one is
 * installed with apt-get (as root directly, otherwise through sudo after saying so); elsewhere, or when that
 * fails, the error says exactly what to install. Never a silent skip. BROWSER_INSTALL=never turns the
 * install off.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

interface Browser {
  name: string;
  variable: 'CHROMIUM_PATH' | 'FIREFOX_PATH';
  candidates: string[];
  /** The apt package per distribution (Ubuntu ships both as snaps behind these names). */
  packages: { debian: string; ubuntu: string };
  note?: string;
}

const CHROMIUM: Browser = {
  name: 'Chromium',
  variable: 'CHROMIUM_PATH',
  candidates: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/lib/chromium/chromium',
  ],
  packages: { debian: 'chromium', ubuntu: 'chromium-browser' },
  note: '(Google Chrome will not do: it ignores --load-extension since version 137.)',
};

const FIREFOX: Browser = {
  name: 'Firefox',
  variable: 'FIREFOX_PATH',
  candidates: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/snap/bin/firefox'],
  packages: { debian: 'firefox-esr', ubuntu: 'firefox' },
};

type Distribution = 'debian' | 'ubuntu' | null;

function distribution(): Distribution {
  let release = '';
  try {
    release = readFileSync('/etc/os-release', 'utf8');
  } catch {
    return null;
  }
  const ids = `${/^ID=(.*)$/m.exec(release)?.[1] ?? ''} ${/^ID_LIKE=(.*)$/m.exec(release)?.[1] ?? ''}`;
  if (/ubuntu/.test(ids)) return 'ubuntu';
  return /debian/.test(ids) ? 'debian' : null;
}

function help(browser: Browser, distro: Distribution): string {
  const install = distro
    ? `sudo apt-get install -y ${browser.packages[distro]}`
    : `install ${browser.name} with your system's package manager`;
  return [
    `No ${browser.name} was found for the end-to-end tests.`,
    `Install it:        ${install}`,
    `or point to one:   ${browser.variable}=/path/to/${browser.name.toLowerCase()} npm test`,
    ...(browser.note ? [browser.note] : []),
  ].join('\n');
}

function runs(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return true;
  } catch {
    return false;
  }
}

/** apt-get as root, or through sudo after saying so; false when neither works. */
function aptInstall(pkg: string): boolean {
  const root = process.getuid?.() === 0;
  if (!root && !runs('sh', ['-c', 'command -v sudo >/dev/null'])) return false;
  const prefix = root ? [] : ['sudo'];
  console.log(`Installing ${pkg} with ${root ? '' : 'sudo '}apt-get for the end-to-end tests…`);
  const [command, ...rest] = [...prefix, 'apt-get'];
  return runs(command!, [...rest, 'update', '-qq']) && runs(command!, [...rest, 'install', '-y', '-qq', pkg]);
}

function find(browser: Browser): string {
  const fromEnv = process.env[browser.variable];
  const distro = distribution();
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`${browser.variable}=${fromEnv} does not exist.\n${help(browser, distro)}`);
    return fromEnv;
  }
  const present = () => browser.candidates.find((candidate) => existsSync(candidate));
  const found = present();
  if (found) return found;
  if (distro && process.env.BROWSER_INSTALL !== 'never' && aptInstall(browser.packages[distro])) {
    const installed = present();
    if (installed) return installed;
  }
  throw new Error(help(browser, distro));
}

export function findChromium(): string {
  return find(CHROMIUM);
}

export function findFirefox(): string {
  return find(FIREFOX);
}
