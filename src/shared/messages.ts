/** The typed protocol between extension pages and the background. */
import browser from './browser';
import { t } from './i18n';
import type { ApiErrorKind } from './api';
import type { Settings } from './storage/schema';

export type ConnectOutcome =
  | { action: 'opened-tab'; reused: boolean; proxy: string }
  | { action: 'copied'; reused: boolean; proxy: string; copied: string; copyFailed: boolean };

export interface Requests {
  connect: { request: { serviceId: string }; response: ConnectOutcome };
  stop: { request: { connectionId: string }; response: null };
  'stop-all': { request: Record<string, never>; response: null };
  /** Queues the stop of every connection, then signs out; the stops are delivered afterwards. */
  'sign-out': { request: Record<string, never>; response: null };
  /** Like sign-out, then saves settings with another endpoint. */
  'change-endpoint': { request: { settings: Settings }; response: null };
}

export type RequestType = keyof Requests;
export type Message = { [K in RequestType]: { type: K } & Requests[K]['request'] }[RequestType];
export interface ReplyError {
  message: string;
  kind: ApiErrorKind | 'invalid' | 'internal';
}
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ReplyError };

export class RequestError extends Error {
  constructor(readonly error: ReplyError) {
    super(error.message);
  }
}

/** Sends a request to the background and unwraps the reply; a failure throws a RequestError. */
export async function send<K extends RequestType>(
  type: K,
  request: Requests[K]['request'],
): Promise<Requests[K]['response']> {
  const reply = (await browser.runtime.sendMessage({ type, ...request })) as
    Reply<Requests[K]['response']> | undefined;
  if (!reply)
    throw new RequestError({
      kind: 'internal',
      message: t('backgroundNoAnswer'),
    });
  if (!reply.ok) throw new RequestError(reply.error);
  return reply.value;
}
