/** What to do with a proxy address remote.it returns: check it is safe to use, and format what to copy. */
import type { CopyFormat, SavedService } from './catalog';
import { isHostname } from './hostname';
import { t } from './i18n';

const REMOTEIT_PROXY_DOMAINS = ['rt3.io', 'remot3.it', 'remote.it'];
/**
 * Where remote.it's reverse proxies live. The extension's host access covers exactly this, which is what
 * lets it see which tabs show a web connection; a web connection anywhere else could never be tracked.
 */
const WEB_PROXY_DOMAIN = 'rt3.io';

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function underDomain(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

/**
 * The proxy as a URL, or null when it must not be used: only http(s), on remote.it's proxy domains, or on
 * loopback when the configured API endpoint is itself loopback (the local simulator).
 */
export function checkProxy(proxy: string, endpoint: string): URL | null {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  // Nobody can use a proxy on a host that is not a plain name, and its address must never reach a shell.
  if (!isPlainHostAndPort(url)) return null;
  if (REMOTEIT_PROXY_DOMAINS.some((domain) => underDomain(url.hostname, domain))) return url;
  let endpointHost = '';
  try {
    endpointHost = new URL(endpoint).hostname;
  } catch {
    return null;
  }
  return isLoopbackHost(endpointHost) && isLoopbackHost(url.hostname) ? url : null;
}

/** A checked proxy that may be opened in a tab: https on remote.it's reverse-proxy domain, or the simulator. */
export function isOpenableWebProxy(url: URL): boolean {
  if (isLoopbackHost(url.hostname)) return true;
  return url.protocol === 'https:' && underDomain(url.hostname, WEB_PROXY_DOMAIN);
}

export interface CopyChoice {
  format: CopyFormat;
  label: string;
  text: string;
}

function hostAndPort(url: URL): { host: string; port: string } {
  return { host: url.hostname, port: url.port || (url.protocol === 'https:' ? '443' : '80') };
}

/** `new URL()` accepts `$`, `;`, `(` and a leading hyphen in a host, and port 0. */
function isPlainHostAndPort(url: URL): boolean {
  const port = Number(hostAndPort(url).port);
  return isHostname(url.hostname) && port >= 1 && port <= 65535;
}

/**
 * A user name the way POSIX systems spell them: a letter or underscore, then letters, digits, dots,
 * underscores and hyphens, 32 characters at most. No `$` (Samba machine accounts): after the name it would
 * read `$@`, which a shell expands.
 */
const SSH_USER = /^[a-z_][a-z0-9._-]{0,31}$/i;

/** Why a per-service SSH user name cannot go into a copied command, or null when it can. */
export function sshUserProblem(user: string): string | null {
  return SSH_USER.test(user) ? null : t('sshUserProblem');
}

/**
 * Why nothing can be copied for this proxy and service, in words for the person, or null when it is safe.
 * What is copied is pasted into a shell, so a host, port or user name outside the strict grammar is refused
 * rather than quoted: remote.it never hands out such a host, and nobody could connect to one.
 */
export function unsafeCopyReason(
  proxy: string,
  service: Pick<SavedService, 'type' | 'sshUser'>,
): string | null {
  if (!URL.canParse(proxy) || !isPlainHostAndPort(new URL(proxy))) return t('notPlainHostAndPort');
  if (service.type === 'SSH' && service.sshUser) {
    const problem = sshUserProblem(service.sshUser);
    if (problem) return t('sshUserUnusable', problem);
  }
  return null;
}

/**
 * Both things a port proxy can be copied as: the bare address and, where the type has one, a command. Throws
 * with the reason when `unsafeCopyReason` has one, so an unchecked caller copies nothing rather than a command
 * that runs code.
 */
export function copyChoices(proxy: URL, service: Pick<SavedService, 'type' | 'sshUser'>): CopyChoice[] {
  const unsafe = unsafeCopyReason(proxy.href, service);
  if (unsafe) throw new Error(unsafe);
  const { host, port } = hostAndPort(proxy);
  const address: CopyChoice = { format: 'address', label: t('copyLabelAddress'), text: `${host}:${port}` };
  const command = (text: string): CopyChoice => ({
    format: 'command',
    label: t('copyLabelCommand', service.type),
    text,
  });
  switch (service.type) {
    case 'SSH': {
      const target = service.sshUser ? `${service.sshUser}@${host}` : host;
      return [address, command(`ssh -p ${port} ${target}`)];
    }
    case 'RDP':
      return [address, command(`mstsc /v:${host}:${port}`)];
    case 'VNC':
      return [address, command(`vncviewer ${host}::${port}`)];
    default:
      return [address];
  }
}

/** The person's choice for this service, else the command where there is one. */
export function defaultCopy(
  proxy: URL,
  service: Pick<SavedService, 'type' | 'sshUser' | 'copyFormat'>,
): CopyChoice {
  const choices = copyChoices(proxy, service);
  const wanted = service.copyFormat ?? 'command';
  return choices.find((choice) => choice.format === wanted) ?? choices[0]!;
}
