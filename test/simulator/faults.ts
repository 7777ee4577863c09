/** Injected failures: what each fault is, which requests a rule catches, and what it does to the answer. */
import { ApiReply, HTML_PAGES, type Reply, TextReply } from './responses';

export type Fault =
  | 'down'
  | 'html-500'
  | 'html-404'
  | 'malformed-json'
  | 'missing-fields'
  | 'status-false-no-reason'
  | 'slow'
  /** A successful connect whose `proxy` points off remote.it's domains; the connection itself is live. */
  | 'rogue-proxy'
  /** The session token of the next request that carries one expires, and that request is refused for it. */
  | 'expired-token'
  /** HTTP 429 with `Retry-After`, as remote.it throttles. */
  | 'rate-limited';

/** Which API a request is for: the v27 REST API or GraphQL, whose broken answers look different. */
export type Surface = 'v27' | 'graphql';

export interface FaultRule {
  fault: Fault;
  /** The call log's path: below /apv/v27/, e.g. "device/connect", or "graphql:connect"; any when absent. */
  path?: string;
  /** How many requests it applies to; until cleared when absent. */
  times?: number;
  /** For "slow": how long the server thinks before answering. */
  delayMs?: number;
  /** For "rogue-proxy": the address handed out instead of the real one. */
  proxy?: string;
  /** For "rate-limited": the `Retry-After` seconds; 1 when absent. */
  retryAfterSec?: number;
}

/** Fields a "missing-fields" fault removes, per endpoint. */
const ESSENTIAL_FIELDS: Record<string, string[]> = {
  'user/login': ['token', 'auth_token', 'auth_expiration'],
  'user/login/authhash': ['token', 'auth_token', 'auth_expiration'],
  'device/list/all': ['devices'],
  'device/connect': ['connection', 'connectionid'],
};

export class FaultBook {
  private rules: (FaultRule & { remaining: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? Infinity });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that still applies to this path and this request, counted as used. */
  take(path: string, fits: (fault: Fault) => boolean): FaultRule | undefined {
    const rule = this.rules.find(
      (candidate) =>
        candidate.remaining > 0 && (!candidate.path || candidate.path === path) && fits(candidate.fault),
    );
    if (rule) rule.remaining -= 1;
    return rule;
  }
}

/** How long a request waits before it is answered: the configured latency plus a "slow" fault's delay. */
export function delayFor(rule: FaultRule | undefined, latencyMs: number): number {
  return latencyMs + (rule?.fault === 'slow' ? (rule.delayMs ?? 10_000) : 0);
}

/** The broken answer a fault gives instead of the real one; null when the request is still handled. */
export function cannedReply(rule: FaultRule | undefined, surface: Surface): Reply | null {
  switch (rule?.fault) {
    case 'html-500':
    case 'html-404':
      return HTML_PAGES[rule.fault];
    case 'malformed-json':
      return new TextReply(
        200,
        surface === 'v27' ? '{"status":"true","connection":{"proxy":' : '{"data":{"connect":{"host":',
        'application/json',
      );
    // A refusal that gives no reason: v27's bare status false, GraphQL's error without a message.
    case 'status-false-no-reason':
      return surface === 'v27'
        ? new ApiReply(200, { status: 'false' })
        : new ApiReply(200, { data: null, errors: [{}] }, JSON.stringify);
    case 'rate-limited':
      return new TextReply(429, 'Too Many Requests', 'text/plain; charset=utf-8', {
        'retry-after': String(rule.retryAfterSec ?? 1),
      });
    default:
      return null;
  }
}

const ROGUE_PROXY = 'https://login.example.com/remoteit';

/** Faults that spoil a real answer: essential fields dropped, or a proxy off remote.it's domains. */
export function spoilReply(
  rule: FaultRule | undefined,
  path: string,
  reply: ApiReply,
  surface: Surface,
): void {
  const rogueProxy = rule?.proxy ?? ROGUE_PROXY;
  if (surface === 'v27') {
    if (rule?.fault === 'missing-fields' && reply.body.status === 'true') {
      for (const field of ESSENTIAL_FIELDS[path] ?? []) delete reply.body[field];
    }
    if (rule?.fault === 'rogue-proxy' && reply.body.connection) {
      (reply.body.connection as Record<string, unknown>).proxy = rogueProxy;
    }
    return;
  }
  const data = reply.body.data as Record<string, Record<string, unknown> | null> | null | undefined;
  if (!data) return;
  if (rule?.fault === 'missing-fields') for (const field of Object.keys(data)) data[field] = {};
  if (rule?.fault === 'rogue-proxy' && data.connect) {
    // GraphQL hands out a host, not a URL: the rogue address without its scheme and path.
    const host = rogueProxy.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
    Object.assign(data.connect, { host, port: null, reverseProxy: true });
  }
}
