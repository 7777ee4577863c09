/**
 * One signed POST to remote.it's GraphQL endpoint and what its answer means: the server's clock from its
 * Date header, an `X-R3-Warning`, back-off on 429, and every failure as an ApiError like the v27 client's.
 * No storage, and no browser API but the messages; how the request is sent is the caller's `send` hook.
 */
import { ApiError, exchange, unreadableReply } from '../api';
import { formatDuration } from '../format';
import { t } from '../i18n';
import { authorizationHeader, SecretFormatError } from './sign';

export const DEFAULT_GRAPHQL_ENDPOINT = 'https://api.remote.it/graphql/v1';

export interface AccessKey {
  id: string;
  /** base64, as remote.it shows it once. */
  secret: string;
}

/**
 * A request signed and ready to go. `headers.date` is the exact value that was signed: a browser's fetch()
 * silently drops a Date header, so an extension sets it with a declarativeNetRequest rule before sending.
 */
export interface SignedRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export type SendSigned = (request: SignedRequest) => Promise<Response>;

/** Sends the headers as given: right in Node, where fetch keeps Date; browsers need their own hook. */
export const sendWithFetch: SendSigned = (request) =>
  fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    credentials: 'omit',
    cache: 'no-store',
  });

/**
 * remote.it's clock as this machine last saw it. Every answer's Date header updates the offset, so the next
 * request is signed with the server's time even when this computer's clock is wrong. Keep one per session.
 */
export class ServerClock {
  constructor(public offsetMs = 0) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  learn(dateHeader: string | null, receivedAt = Date.now()): void {
    const serverMs = dateHeader ? Date.parse(dateHeader) : NaN;
    if (Number.isFinite(serverMs)) this.offsetMs = serverMs - receivedAt;
  }
}

export interface GraphqlConfig {
  endpoint: string;
  accessKey: AccessKey;
  timeoutMs: number;
  clock: ServerClock;
  /** How a signed request is sent; `sendWithFetch` when absent. */
  send?: SendSigned;
  /** Devices per listing page, at most 1000 (remote.it's limit); 1000 when absent. */
  pageSize?: number;
  /** A 429 asking for a longer wait than this fails at once instead; 10 s when absent. */
  maxRetryWaitMs?: number;
  /** How many times a 429 is retried; 3 when absent. */
  maxRetries?: number;
}

export interface GraphqlAnswer<T> {
  value: T;
  /** An `X-R3-Warning` remote.it sent (a deprecated client, …), for the caller to show; null when none. */
  warning: string | null;
}

export const KEY_REFUSED = t('accessKeyRefused');
const DEFAULT_RETRY_AFTER_MS = 1000;
/** A shift of the server clock this large is worth signing again for; below it, skew is not the cause. */
const CLOCK_CORRECTION_MS = 30_000;

/** Retry-After is seconds or an HTTP date; anything else waits a second. */
function retryAfterMs(header: string | null): number {
  if (header && /^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = header ? Date.parse(header) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : DEFAULT_RETRY_AFTER_MS;
}

function firstErrorMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { errors?: { message?: unknown }[] }).errors?.[0]?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return text.trim().slice(0, 200) || undefined;
  }
}

/** GraphQL reports refusals as `errors[].message` (HTTP 200): remote.it's own words for the person. */
function refusal(status: number, errors: unknown[]): ApiError {
  const messages = errors
    .map((error) => (error as { message?: unknown } | null)?.message)
    .filter((message): message is string => typeof message === 'string' && message.trim() !== '');
  const reason = messages.join('; ');
  return new ApiError('api', reason ? t('remoteitSaid', reason) : t('refusedWithoutReason', status), {
    reason: reason || undefined,
    httpStatus: status,
  });
}

type Attempt =
  | { kind: 'answered'; data: Record<string, unknown>; warning: string | null }
  | { kind: 'throttled'; waitMs: number };

async function attempt(config: GraphqlConfig, body: string): Promise<Attempt> {
  const date = config.clock.now().toUTCString();
  const contentType = 'application/json';
  let authorization: string;
  try {
    authorization = await authorizationHeader({
      keyId: config.accessKey.id,
      secret: config.accessKey.secret,
      method: 'POST',
      url: config.endpoint,
      date,
      contentType,
      body,
    });
  } catch (error) {
    if (!(error instanceof SecretFormatError)) throw error;
    throw new ApiError('credentials', t('secretNotValid'));
  }
  const { response, text } = await exchange(config.endpoint, config.timeoutMs, (signal) =>
    (config.send ?? sendWithFetch)({
      url: config.endpoint,
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'application/json', date, authorization },
      body,
      signal,
    }),
  );

  config.clock.learn(response.headers.get('date'));
  if (response.status === 429)
    return { kind: 'throttled', waitMs: retryAfterMs(response.headers.get('retry-after')) };
  if (response.status === 401 || response.status === 403) {
    throw new ApiError('credentials', KEY_REFUSED, {
      httpStatus: response.status,
      reason: firstErrorMessage(text),
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unreadableReply(response.status, text);
  }
  const answer = (parsed && typeof parsed === 'object' ? parsed : {}) as { data?: unknown; errors?: unknown };
  if (Array.isArray(answer.errors) && answer.errors.length > 0) throw refusal(response.status, answer.errors);
  if (!response.ok || !answer.data || typeof answer.data !== 'object') {
    throw new ApiError('bad-response', t('unexpectedReply', response.status), {
      httpStatus: response.status,
    });
  }
  return {
    kind: 'answered',
    data: answer.data as Record<string, unknown>,
    warning: response.headers.get('x-r3-warning'),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Posts one GraphQL document, signed. A 429 means remote.it did not act on the request, so it is safe to
 * send again after the wait it asks for (within `maxRetryWaitMs`, at most `maxRetries` times). `timeoutMs`
 * bounds the whole call, retries and waits included: a connect never outlives its hard limit, and a lost
 * connect's connection cannot appear after the time it is looked for.
 */
export async function postGraphql(
  config: GraphqlConfig,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlAnswer<Record<string, unknown>>> {
  const body = JSON.stringify({ query, variables });
  const maxRetries = config.maxRetries ?? 3;
  const maxWaitMs = config.maxRetryWaitMs ?? 10_000;
  const deadline = Date.now() + config.timeoutMs;
  const withinDeadline = () => ({ ...config, timeoutMs: deadline - Date.now() });
  for (let retries = 0; ; retries++) {
    const offsetBefore = config.clock.offsetMs;
    let outcome: Attempt;
    try {
      outcome = await attempt(withinDeadline(), body);
    } catch (error) {
      // A refusal that taught the clock a new offset was probably the clock's fault: sign again, once.
      const clockCorrected = Math.abs(config.clock.offsetMs - offsetBefore) > CLOCK_CORRECTION_MS;
      if (!(error instanceof ApiError && error.kind === 'credentials' && clockCorrected)) throw error;
      outcome = await attempt(withinDeadline(), body);
    }
    if (outcome.kind === 'answered') return { value: outcome.data, warning: outcome.warning };
    const waitFits = outcome.waitMs <= maxWaitMs && Date.now() + outcome.waitMs < deadline;
    if (retries >= maxRetries || !waitFits) {
      throw new ApiError(
        'api',
        t('rateLimited', formatDuration(Math.max(1, Math.ceil(outcome.waitMs / 1000)), 'second')),
        { httpStatus: 429 },
      );
    }
    await sleep(outcome.waitMs);
  }
}
