/**
 * Signs a remote.it GraphQL request with an access key, as remote.it's docs describe (draft-cavage HTTP
 * signatures, HMAC-SHA256 with the base64-decoded secret). WebCrypto only, so it runs in the service
 * worker, in extension pages and in Node 20 alike.
 */

export interface SigningInput {
  keyId: string;
  /** The secret access key exactly as remote.it shows it: base64 text. */
  secret: string;
  method: string;
  url: string;
  /** The request's Date header, RFC 1123 (`Date.prototype.toUTCString()`). */
  date: string;
  contentType: string;
  /** When given, its length in UTF-8 bytes is signed as content-length too, as remote.it's docs do. */
  body?: string;
}

export interface SigningString {
  /** The header names in signing order, as the Authorization header declares them. */
  headers: string[];
  text: string;
}

/** The lines HMAC covers: `name: value`, joined by newlines, no trailing newline. */
export function signingString(input: SigningInput): SigningString {
  const url = new URL(input.url);
  const lines: [string, string][] = [
    ['(request-target)', `${input.method.toLowerCase()} ${url.pathname}${url.search}`],
    ['host', url.host],
    ['date', input.date],
    ['content-type', input.contentType],
  ];
  if (input.body !== undefined) {
    lines.push(['content-length', String(new TextEncoder().encode(input.body).length)]);
  }
  return {
    headers: lines.map(([name]) => name),
    text: lines.map(([name, value]) => `${name}: ${value}`).join('\n'),
  };
}

/** Thrown when the secret is not base64: nothing could be signed with it. */
export class SecretFormatError extends Error {
  constructor() {
    super('The secret access key is not base64 text.');
    this.name = 'SecretFormatError';
  }
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text.trim());
  } catch {
    throw new SecretFormatError();
  }
  if (!binary) throw new SecretFormatError();
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function bytesToBase64(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

/** `Signature keyId="…",algorithm="hmac-sha256",headers="…",signature="…"` for this request. */
export async function authorizationHeader(input: SigningInput): Promise<string> {
  const { headers, text } = signingString(input);
  const key = await crypto.subtle.importKey(
    'raw',
    base64ToBytes(input.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text));
  return `Signature keyId="${input.keyId}",algorithm="hmac-sha256",headers="${headers.join(' ')}",signature="${bytesToBase64(signature)}"`;
}
