/**
 * remote.it's API hosts are granted at install. Any other endpoint (the local simulator, a test server) needs
 * an optional host permission for just that host, asked for when the person chooses it and given back when
 * they move to another endpoint.
 */
import browser from './browser';
import { isHostname } from './hostname';
import { t } from './i18n';

const BUILT_IN_HOSTS = new Set(['api.remot3.it', 'api.remote.it']);

/**
 * Plain http would carry the developer key, password and token in clear text, so it is only for this
 * computer, and only for the loopback hosts manifest.json's optional http patterns can grant (a match
 * pattern cannot cover all of 127.0.0.0/8, and bracketed IPv6 hosts are not portable across browsers).
 */
function isHttpAllowed(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '127.0.0.1';
}

/** A valid endpoint URL without credentials, query or fragment, or an explanation of what is wrong. */
export function validateEndpoint(input: string): { endpoint: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { error: t('endpointFullUrl') };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: t('endpointHttps') };
  // Checked before the scheme: `http://*` is refused for its host, not for being http.
  if (!isHostname(url.hostname)) return { error: t('endpointHostName') };
  if (url.protocol === 'http:' && !isHttpAllowed(url.hostname)) return { error: t('endpointHttpLoopback') };
  if (url.username || url.password) return { error: t('endpointCredentials') };
  if (url.search || url.hash) return { error: t('endpointQuery') };
  return { endpoint: url.href.replace(/\/+$/, '') };
}

/**
 * A loopback API (the local simulator) serves its reverse proxies on `*.localhost`, as remote.it does on
 * `*.rt3.io`: the extension must see which tabs show them, so that access is asked for with the endpoint.
 */
const LOOPBACK_PROXY_ORIGIN = 'http://*.localhost/*';

/** Match patterns ignore ports, so the permission covers the host on any port, and nothing else. */
export function endpointOrigins(endpoint: string): string[] {
  const url = new URL(endpoint);
  if (BUILT_IN_HOSTS.has(url.hostname) && url.protocol === 'https:') return [];
  const origin = `${url.protocol}//${url.hostname}/*`;
  return isHttpAllowed(url.hostname) ? [origin, LOOPBACK_PROXY_ORIGIN] : [origin];
}

/**
 * Must be called first thing in a click handler: browsers only show the permission prompt during a user
 * gesture. Resolves true at once when the permission is already granted.
 */
export function requestEndpointAccess(endpoint: string): Promise<boolean> {
  const origins = endpointOrigins(endpoint);
  return origins.length ? browser.permissions.request({ origins }) : Promise.resolve(true);
}

/**
 * Gives back the host permission the previous endpoint needed, unless an endpoint still in use needs the same.
 * Resolves false when nothing was removed; a browser that refuses leaves the permission as it was, which is no
 * worse than before, so that never fails anything.
 */
export async function releaseEndpointAccess(previous: string, inUse: string[]): Promise<boolean> {
  const kept = new Set(inUse.filter((endpoint) => URL.canParse(endpoint)).flatMap(endpointOrigins));
  // A previous endpoint that does not parse (damaged storage) names no permission to give back.
  const held = URL.canParse(previous) ? endpointOrigins(previous) : [];
  const origins = held.filter((origin) => !kept.has(origin));
  if (!origins.length) return false;
  return browser.permissions.remove({ origins }).catch(() => false);
}
