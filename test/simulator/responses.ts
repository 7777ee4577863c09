/** How the simulator answers: remote.it's JSON encoding, its HTML error pages and its timestamp formats. */
import type { IncomingMessage } from 'node:http';

/** PHP/Slim escapes forward slashes; clients must cope with `\/`. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

/** A JSON answer whose body faults may still alter before it is sent. */
export class ApiReply {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** v27 is PHP and escapes slashes; the GraphQL API passes plain `JSON.stringify`. */
    readonly encode: (body: Record<string, unknown>) => string = encodeJson,
  ) {}
}

/** An answer that is not JSON (or is deliberately broken JSON), sent exactly as written. */
export class TextReply {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export type Reply = ApiReply | TextReply;

export const failure = (status: number, reason: string, code = 'GENERAL_ERROR') =>
  new ApiReply(status, { status: 'false', reason, code });

export const HTML_PAGES = {
  'html-500': new TextReply(
    500,
    '<html><head><title>Slim Application Error</title></head><body><h1>Slim Application Error</h1><p>A website error has occurred. Sorry for the temporary inconvenience.</p></body></html>',
    'text/html; charset=UTF-8',
  ),
  'html-404': new TextReply(
    404,
    '<html><head><title>404 Page Not Found</title></head><body><h1>404 Page Not Found</h1></body></html>',
    'text/html; charset=UTF-8',
  ),
};

export function easternTimestamp(date: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      hour12: true,
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.month}/${parts.day}/${parts.year}T${parts.hour}:${parts.minute} ${parts.dayPeriod}`;
}

export function isoUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** remote.it reads the body as JSON whatever the Content-Type says (curl's samples send it as a form). */
export function parseBody(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
