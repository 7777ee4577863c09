/**
 * Connection modes: who may use a port connection, and the `hostip` that tells remote.it so. A mode read
 * from storage is re-validated here, because a synced or damaged value must never widen who can connect.
 */
import type { ConnectionMode } from './catalog';
import { t } from './i18n';

// Dotted decimal without leading zeros, which some parsers read as octal.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Blocks no client on the internet can have an address in (RFC 6890): restricting to one of them is a
 * mistake, and `0.0.0.0` / `255.255.255.255` would mean public / IP latching to remote.it. The
 * documentation blocks (192.0.2/24, 198.51.100/24, 203.0.113/24) are left in: nobody types them by
 * mistake, examples and tests use them, and a connection restricted to one is only unusable, not wider.
 */
const NON_PUBLIC_BLOCKS: [base: string, prefixLength: number][] = [
  ['0.0.0.0', 8], // "this network", including 0.0.0.0 (public to remote.it)
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 3], // multicast, reserved, and 255.255.255.255 (IP latching to remote.it)
];

function toNumber(ip: string): number {
  return ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function inBlock(ip: number, [base, prefixLength]: [string, number]): boolean {
  const size = 2 ** (32 - prefixLength);
  return Math.floor(ip / size) === Math.floor(toNumber(base) / size);
}

/** A dotted IPv4 address a client on the internet can have: what a restricted connection may be limited to. */
export function isPublicIpv4(ip: string): boolean {
  return IPV4.test(ip) && !NON_PUBLIC_BLOCKS.some((block) => inBlock(toNumber(ip), block));
}

/** The mode a stored value describes; anything else (unknown kind, bad IP, not an object) is IP latching. */
export function parseMode(value: unknown): ConnectionMode {
  const { kind, ip } = (typeof value === 'object' && value !== null ? value : {}) as {
    kind?: unknown;
    ip?: unknown;
  };
  if (kind === 'public') return { kind: 'public' };
  if (kind === 'restricted' && typeof ip === 'string' && isPublicIpv4(ip)) return { kind: 'restricted', ip };
  // The safe default: only the first computer that connects can use the address.
  return { kind: 'latching' };
}

function unknownMode(_mode: never): never {
  throw new Error(t('unknownMode'));
}

/** remote.it's `hostip` for a mode: who its proxy accepts. Throws rather than send a connect that is wider. */
export function hostipFor(mode: ConnectionMode): string {
  switch (mode.kind) {
    case 'public':
      return '0.0.0.0';
    case 'latching':
      return '255.255.255.255';
    case 'restricted':
      if (!isPublicIpv4(mode.ip)) throw new Error(t('restrictedNotPublic'));
      return mode.ip;
    default:
      // The compiler proves this unreachable; a value that skipped parseMode must still not connect without hostip.
      return unknownMode(mode);
  }
}
