/** What to do with a proxy address remote.it returns: check it is safe to use, and format what to copy. */
import type { CopyFormat, SavedService } from './catalog';

const REMOTEIT_PROXY_DOMAINS = ['rt3.io', 'remot3.it', 'remote.it'];

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
  if (REMOTEIT_PROXY_DOMAINS.some((domain) => underDomain(url.hostname, domain))) return url;
  let endpointHost = '';
  try {
    endpointHost = new URL(endpoint).hostname;
  } catch {
    return null;
  }
  return isLoopbackHost(endpointHost) && isLoopbackHost(url.hostname) ? url : null;
}

export interface CopyChoice {
  format: CopyFormat;
  label: string;
  text: string;
}

function hostAndPort(url: URL): { host: string; port: string } {
  return { host: url.hostname, port: url.port || (url.protocol === 'https:' ? '443' : '80') };
}

/** Both things a port proxy can be copied as: the bare address and, where the type has one, a command. */
export function copyChoices(proxy: URL, service: Pick<SavedService, 'type' | 'sshUser'>): CopyChoice[] {
  const { host, port } = hostAndPort(proxy);
  const address: CopyChoice = { format: 'address', label: 'Address', text: `${host}:${port}` };
  switch (service.type) {
    case 'SSH': {
      const target = service.sshUser ? `${service.sshUser}@${host}` : host;
      return [address, { format: 'command', label: 'SSH command', text: `ssh -p ${port} ${target}` }];
    }
    case 'RDP':
      return [address, { format: 'command', label: 'RDP command', text: `mstsc /v:${host}:${port}` }];
    case 'VNC':
      return [address, { format: 'command', label: 'VNC command', text: `vncviewer ${host}::${port}` }];
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
