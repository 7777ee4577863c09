/** Dispatches typed requests from the extension's own pages to the background modules. */
import browser, { type Runtime } from '../shared/browser';
import { ApiError } from '../shared/api';
import { t } from '../shared/i18n';
import type { Message, Reply, ReplyError, Requests, RequestType } from '../shared/messages';
import { ConnectError, connectService } from './lifecycle/connect';
import { leaveSession, stopAll, stopConnection } from './lifecycle/stop-queue';
import { checkLocal } from '../shared/storage/validate';

type Handlers = {
  [K in RequestType]: (message: Extract<Message, { type: K }>) => Promise<Requests[K]['response']>;
};

const handlers: Handlers = {
  connect: (message) => connectService(message.serviceId),
  stop: async (message) => {
    await stopConnection(message.connectionId);
    return null;
  },
  'stop-all': async () => {
    await stopAll();
    return null;
  },
  'sign-out': async () => {
    await leaveSession();
    return null;
  },
  'change-endpoint': async (message) => {
    // Checked here too: whatever asks, the worker never adopts an endpoint the options page would refuse.
    const checked = checkLocal('settings', message.settings);
    if (checked.damage.length)
      throw new ConnectError('invalid', t('notAcceptable', checked.damage.join(', ')));
    await leaveSession(checked.value);
    return null;
  },
};

function isMessage(value: unknown): value is Message {
  const type = (value as { type?: unknown } | null)?.type;
  return typeof type === 'string' && Object.hasOwn(handlers, type);
}

/** Only our own pages may drive the background. */
function fromOwnPage(sender: Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && !!sender.url?.startsWith(browser.runtime.getURL(''));
}

function toReplyError(error: unknown): ReplyError {
  if (error instanceof ApiError || error instanceof ConnectError)
    return { kind: error.kind, message: error.message };
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export function onMessage(
  message: unknown,
  sender: Runtime.MessageSender,
): Promise<Reply<unknown>> | undefined {
  if (!isMessage(message) || !fromOwnPage(sender)) return undefined;
  const handler = handlers[message.type] as (message: Message) => Promise<unknown>;
  return handler(message).then(
    (value): Reply<unknown> => ({ ok: true, value }),
    (error: unknown): Reply<unknown> => ({ ok: false, error: toReplyError(error) }),
  );
}
