/**
 * remote.it's API hosts are granted at install. Any other endpoint (the local simulator, a test server) needs
 * an optional host permission for just that host, asked for when the person chooses it.
 */
import browser from '../shared/browser';

const BUILT_IN_HOSTS = new Set(['api.remot3.it', 'api.remote.it']);

/** A valid http(s) endpoint URL without credentials, query or fragment, or an explanation of what is wrong. */
export function validateEndpoint(input: string): { endpoint: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { error: 'Enter a full URL, like https://api.remot3.it/apv/v27.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { error: 'The endpoint must start with https:// or http://.' };
  if (url.username || url.password)
    return { error: 'Do not put a user name or password in the endpoint URL.' };
  if (url.search || url.hash) return { error: 'The endpoint cannot have a query (?…) or fragment (#…).' };
  return { endpoint: url.href.replace(/\/+$/, '') };
}

/** Match patterns ignore ports, so the permission covers the host on any port, and nothing else. */
export function endpointOrigins(endpoint: string): string[] {
  const url = new URL(endpoint);
  return BUILT_IN_HOSTS.has(url.hostname) && url.protocol === 'https:'
    ? []
    : [`${url.protocol}//${url.hostname}/*`];
}

/**
 * Must be called first thing in a click handler: browsers only show the permission prompt during a user
 * gesture. Resolves true at once when the permission is already granted.
 */
export function requestEndpointAccess(endpoint: string): Promise<boolean> {
  const origins = endpointOrigins(endpoint);
  return origins.length ? browser.permissions.request({ origins }) : Promise.resolve(true);
}
