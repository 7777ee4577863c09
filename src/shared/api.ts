/**
 * remote.it v27 REST client. No storage, and no browser API but the messages, so it runs in the worker, the
 * options page and Node tests alike. Success is HTTP 2xx and `status: "true"`; everything else becomes an ApiError
 * whose message a person can act on. Secrets never appear in messages.
 */
import { formatDuration } from './format';
import { t, type MessageKey } from './i18n';

export { DEFAULT_ENDPOINT } from './endpoint';

export type ApiErrorKind =
  | 'credentials'
  | 'developer-key'
  | 'mfa'
  | 'token'
  | 'network'
  | 'timeout'
  | 'bad-response'
  | 'api'
  | 'signed-out';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly detail: { reason?: string; code?: string; httpStatus?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again later: the request may not have reached remote.it, or it failed on their side. */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      (this.kind === 'bad-response' && (this.detail.httpStatus ?? 0) >= 500)
    );
  }
}

export interface ApiConfig {
  endpoint: string;
  developerKey: string;
  timeoutMs: number;
}

export interface LoginResult {
  token: string;
  /** Milliseconds since the epoch; null when remote.it did not say. */
  expiresAt: number | null;
  authhash: string | null;
  email: string;
}

export interface RawDevice {
  deviceaddress: string;
  devicealias: string;
  devicetype: string;
  devicestate: string;
  servicetitle: string;
  devicelastip?: string;
}

export interface ConnectResult {
  connectionId: string;
  proxy: string;
  reverseProxy: boolean;
  expiresInSec: number;
}

const MFA_CODES = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'MFA_SETUP']);
const TOKEN_REASON = /token|session|not authori[sz]ed|unauthori[sz]ed|expired/i;
/** A reason about a connection or proxy (already expired, …) is not one about the session token. */
const ABOUT_CONNECTION = /connection|proxy/i;

type Body = Record<string, unknown>;

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function pageTitle(text: string): string | null {
  const match = /<title[^>]*>([^<]{1,80})<\/title>/i.exec(text);
  return match?.[1]?.trim() || null;
}

function classifyFailure(httpStatus: number, body: Body, authenticated: boolean): ApiError {
  const reason = typeof body.reason === 'string' ? body.reason : undefined;
  const code = typeof body.code === 'string' ? body.code : undefined;
  const detail = { reason, code, httpStatus };
  if (code && MFA_CODES.has(code)) {
    return new ApiError('mfa', t('mfaPasteToken'), detail);
  }
  if (reason && /api key failed validation|application key is invalid/i.test(reason)) {
    return new ApiError('developer-key', t('developerKeyRejected', reason), detail);
  }
  if (reason && /\[0102\]|username or password|missing user/i.test(reason)) {
    return new ApiError('credentials', t('credentialsRejected', reason), detail);
  }
  // v27 also answers 401 for a wrong connection id, so a 401 means "session" only by its reason or lack of one.
  const sessionRejected = reason
    ? TOKEN_REASON.test(reason) && !ABOUT_CONNECTION.test(reason)
    : httpStatus === 401 || httpStatus === 403;
  if (authenticated && sessionRejected) {
    return new ApiError('token', reason ? t('sessionInvalidBecause', reason) : t('sessionInvalid'), detail);
  }
  return new ApiError(
    'api',
    reason ? t('remoteitSaid', reason) : t('refusedWithoutReason', httpStatus),
    detail,
  );
}

/**
 * Sends one request with a time limit and reads its whole reply. A request that cannot be sent or runs out
 * of time becomes the ApiError a person can act on; what the reply says is the caller's to judge.
 */
export async function exchange(
  endpoint: string,
  timeoutMs: number,
  send: (signal: AbortSignal) => Promise<Response>,
): Promise<{ response: Response; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await send(controller.signal);
    return { response, text: await response.text() };
  } catch (error) {
    if (controller.signal.aborted) {
      throw new ApiError(
        'timeout',
        t('noAnswerWithin', formatDuration(Math.round(timeoutMs / 1000), 'second')),
      );
    }
    throw new ApiError('network', t('cannotReach', hostOf(endpoint)), {
      reason: error instanceof Error ? error.message : undefined,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** A reply that is not JSON (an HTML error page, a cut-off body): its page title says what happened. */
export function unreadableReply(status: number, text: string): ApiError {
  const title = pageTitle(text);
  return new ApiError('bad-response', t('unreadableReply', `HTTP ${status}${title ? `: ${title}` : ''}`), {
    httpStatus: status,
    reason: title ?? undefined,
  });
}

async function request(
  config: ApiConfig,
  method: 'GET' | 'POST',
  path: string,
  options: { token?: string; body?: Body } = {},
): Promise<Body> {
  const headers: Record<string, string> = { developerkey: config.developerKey, accept: 'application/json' };
  if (options.token !== undefined) headers.token = options.token;
  if (options.body) headers['content-type'] = 'application/json';
  const url = `${config.endpoint.replace(/\/+$/, '')}/${path}`;
  const { response, text } = await exchange(config.endpoint, config.timeoutMs, (signal) =>
    fetch(url, {
      method,
      headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
      signal,
      credentials: 'omit',
      cache: 'no-store',
    }),
  );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw unreadableReply(response.status, text);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('bad-response', t('unexpectedReply', response.status), {
      httpStatus: response.status,
    });
  }
  const record = body as Body;
  if (!response.ok || record.status !== 'true')
    throw classifyFailure(response.status, record, options.token !== undefined);
  return record;
}

/** `what` names the part that is missing. */
export function missing(what: MessageKey): ApiError {
  return new ApiError('bad-response', t('replyMissing', t(what)));
}

function parseLogin(body: Body, username: string): LoginResult {
  const token = typeof body.token === 'string' && body.token ? body.token : body.auth_token;
  if (typeof token !== 'string' || !token) throw missing('missingSessionToken');
  const expiration = Number(body.auth_expiration);
  return {
    token,
    expiresAt: Number.isFinite(expiration) && expiration > 0 ? expiration * 1000 : null,
    authhash:
      typeof body.service_authhash === 'string' && body.service_authhash ? body.service_authhash : null,
    email: typeof body.email === 'string' && body.email ? body.email : username,
  };
}

export async function login(config: ApiConfig, username: string, password: string): Promise<LoginResult> {
  return parseLogin(await request(config, 'POST', 'user/login', { body: { username, password } }), username);
}

export async function loginWithAuthhash(
  config: ApiConfig,
  username: string,
  authhash: string,
): Promise<LoginResult> {
  return parseLogin(
    await request(config, 'POST', 'user/login/authhash', { body: { username, authhash } }),
    username,
  );
}

function isRawDevice(value: unknown): value is RawDevice {
  const entry = value as Partial<RawDevice> | null;
  return (
    !!entry &&
    typeof entry.deviceaddress === 'string' &&
    typeof entry.devicealias === 'string' &&
    typeof entry.devicestate === 'string'
  );
}

export async function listServices(config: ApiConfig, token: string): Promise<RawDevice[]> {
  const body = await request(config, 'GET', 'device/list/all', { token });
  if (!Array.isArray(body.devices)) throw missing('missingServiceList');
  return body.devices.filter(isRawDevice).map((entry) => ({
    ...entry,
    devicetype: typeof entry.devicetype === 'string' ? entry.devicetype : '',
    servicetitle: typeof entry.servicetitle === 'string' ? entry.servicetitle : '',
  }));
}

export async function connect(
  config: ApiConfig,
  token: string,
  serviceId: string,
  hostip: string,
): Promise<ConnectResult> {
  const body = await request(config, 'POST', 'device/connect', {
    token,
    body: { deviceaddress: serviceId, wait: 'true', hostip },
  });
  const connection = (body.connection ?? {}) as Body;
  const connectionId = connection.connectionid ?? body.connectionid;
  const proxy = connection.proxy;
  if (typeof connectionId !== 'string' || !connectionId) throw missing('missingConnectionId');
  const expiresInSec = Number(connection.expirationsec ?? connection.proxyExpirationSec);
  return {
    connectionId,
    // Checked by the caller, which also ends a connection whose proxy it cannot use.
    proxy: typeof proxy === 'string' ? proxy : '',
    reverseProxy: connection.reverseProxy === true || connection.reverseProxy === 'true',
    expiresInSec: Number.isFinite(expiresInSec) && expiresInSec > 0 ? expiresInSec : 28_800,
  };
}

export async function stopConnection(
  config: ApiConfig,
  token: string,
  serviceId: string,
  connectionId: string,
): Promise<void> {
  await request(config, 'POST', 'device/connect/stop', {
    token,
    body: { deviceaddress: serviceId, connectionid: connectionId },
  });
}
