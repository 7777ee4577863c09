/**
 * remote.it's check of a signed request (shared/remoteit-v27-api.md 5.2 and 5.4), written from the recipe
 * with Node's crypto and independently of the extension's signer: draft-cavage HTTP signatures,
 * HMAC-SHA256 with key = base64-decode(secret), over the header list the request itself declares.
 *
 * Status codes (the real split is unknown): 401 when the request cannot be tied to a key at a current time
 * (no or unreadable Authorization, unknown key id, missing, unreadable or stale Date, a header list that
 * leaves out the request target, host or date); 403 when it can, but the signature does not match (which
 * includes a declared header the request does not carry). An unsigned request gets remote.it's plain
 * `Unauthorized`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface RequestToVerify {
  method: string;
  /** Path and query, as in the request line. */
  target: string;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string>;
}

export type SignatureVerdict =
  { ok: true; keyId: string } | { ok: false; status: 401 | 403; reason: string; unsigned: boolean };

/** Without these a signature proves nothing about this request at this time. */
const REQUIRED_HEADERS = ['(request-target)', 'host', 'date'];
const DEFAULT_SKEW_SEC = 300;

function refuse(status: 401 | 403, reason: string, unsigned = false): SignatureVerdict {
  return { ok: false, status, reason, unsigned };
}

/** `Signature keyId="…",algorithm="…",headers="…",signature="…"` as a map; null when it is not one. */
function signatureParams(authorization: string | undefined): Record<string, string> | null {
  const match = /^Signature\s+(.+)$/i.exec(authorization?.trim() ?? '');
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const [, name, value] of match[1]!.matchAll(/([A-Za-z]+)="([^"]*)"/g)) params[name!] = value!;
  return params;
}

export function verifySignature(
  request: RequestToVerify,
  secretFor: (keyId: string) => string | undefined,
  nowMs: number,
  maxSkewSec = DEFAULT_SKEW_SEC,
): SignatureVerdict {
  if (!request.headers.authorization) return refuse(401, 'Unauthorized', true);
  const params = signatureParams(request.headers.authorization);
  if (!params?.keyId || !params.signature) return refuse(401, 'Authorization is not an HTTP signature');
  if (params.algorithm && params.algorithm.toLowerCase() !== 'hmac-sha256') {
    return refuse(401, `Unsupported signature algorithm ${params.algorithm}`);
  }
  const secret = secretFor(params.keyId);
  if (secret === undefined) return refuse(401, 'Unknown access key id');

  const signed = (params.headers ?? 'date').toLowerCase().split(/\s+/).filter(Boolean);
  const uncovered = REQUIRED_HEADERS.filter((name) => !signed.includes(name));
  if (uncovered.length) return refuse(401, `The signature must cover ${uncovered.join(', ')}`);
  const date = request.headers.date;
  if (!date) return refuse(401, 'Missing Date header');
  const dateMs = Date.parse(date);
  if (Number.isNaN(dateMs)) return refuse(401, 'Invalid Date');
  if (Math.abs(dateMs - nowMs) > maxSkewSec * 1000) {
    return refuse(401, `Invalid Date: ${Math.round((dateMs - nowMs) / 1000)} s from the server's clock`);
  }

  const lines: string[] = [];
  for (const name of signed) {
    const value =
      name === '(request-target)'
        ? `${request.method.toLowerCase()} ${request.target}`
        : request.headers[name];
    if (value === undefined) return refuse(403, `Signed header ${name} is not in the request`);
    lines.push(`${name}: ${value}`);
  }
  const expected = createHmac('sha256', Buffer.from(secret, 'base64')).update(lines.join('\n')).digest();
  const given = Buffer.from(params.signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return refuse(403, 'Invalid signature');
  }
  return { ok: true, keyId: params.keyId };
}
