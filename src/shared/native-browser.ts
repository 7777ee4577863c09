/**
 * What the builds load instead of webextension-polyfill (vite.config.ts aliases it here; unit tests alias it to
 * an in-memory browser): Firefox's own `browser`, or Chrome's `chrome`, whose MV3 APIs return promises for
 * everything this extension calls. The one difference left is runtime.onMessage: a Firefox listener answers
 * with the promise it returns, a Chrome listener through sendResponse; Chrome's is adapted here.
 */
// A type import only: the package itself is what this module replaces.
// eslint-disable-next-line no-restricted-imports
import type Browser from 'webextension-polyfill';

type Namespace = typeof Browser;
type Listener = (message: unknown, sender: unknown) => unknown;
type ChromeListener = (message: unknown, sender: unknown, sendResponse: (reply: unknown) => void) => unknown;
interface ChromeEvent {
  addListener(listener: ChromeListener): void;
  removeListener(listener: ChromeListener): void;
  hasListener(listener: ChromeListener): boolean;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/** Chrome's onMessage for listeners written the Firefox way: a returned promise is the answer. */
function promiseOnMessage(event: ChromeEvent) {
  const adapted = new Map<Listener, ChromeListener>();
  return {
    addListener(listener: Listener) {
      const chromeListener: ChromeListener = (message, sender, sendResponse) => {
        const reply = listener(message, sender);
        if (!isThenable(reply)) return undefined;
        reply.then(sendResponse, (error: unknown) => {
          console.error(error);
          sendResponse(undefined);
        });
        // Keeps the channel open until sendResponse is called.
        return true;
      };
      adapted.set(listener, chromeListener);
      event.addListener(chromeListener);
    },
    removeListener(listener: Listener) {
      const chromeListener = adapted.get(listener);
      if (chromeListener) event.removeListener(chromeListener);
      adapted.delete(listener);
    },
    hasListener(listener: Listener) {
      const chromeListener = adapted.get(listener);
      return !!chromeListener && event.hasListener(chromeListener);
    },
  };
}

/** Chrome's namespace with runtime.onMessage adapted; every other property is Chrome's own. */
function fromChrome(chrome: Record<string, unknown>): Namespace {
  const runtime = chrome.runtime as Record<string | symbol, unknown> & { onMessage: ChromeEvent };
  const onMessage = promiseOnMessage(runtime.onMessage);
  const runtimeView = new Proxy(runtime, {
    get: (target, key) => {
      if (key === 'onMessage') return onMessage;
      const value = target[key];
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return new Proxy(chrome, {
    get: (target, key) => (key === 'runtime' ? runtimeView : target[key as string]),
  }) as unknown as Namespace;
}

const scope = globalThis as unknown as { browser?: Namespace; chrome?: Record<string, unknown> };
// Firefox's `browser` is its own object; a Chrome that names its namespace `browser` too still gets the adapter.
const browser: Namespace =
  scope.browser?.runtime?.id && (scope.browser as unknown) !== scope.chrome
    ? scope.browser
    : fromChrome(scope.chrome!);

export default browser;
