/**
 * Host names the extension will put in a permission pattern or a copied command. `new URL()` lets through
 * `*`, `$`, `;`, `(`, quotes and more in a host, so a URL that parses does not prove its host is plain.
 */

/** One DNS label: letters, digits and inner hyphens, 1–63 characters. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const MAX_HOSTNAME_LENGTH = 253;

/**
 * A plain host name or IPv4 literal: dot-separated labels of letters, digits and hyphens (none at either end
 * of a label), 253 characters at most, no trailing dot. An internationalised name passes once `new URL()`
 * has turned it into its `xn--` form.
 */
export function isHostname(host: string): boolean {
  return host.length <= MAX_HOSTNAME_LENGTH && host.split('.').every((label) => LABEL.test(label));
}
