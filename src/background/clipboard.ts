/**
 * Copying from the background. Chrome's service worker has no DOM, so an offscreen document does the copy;
 * Firefox's background page has a DOM and may write the clipboard directly (clipboardWrite).
 */
import browser from '../shared/browser';
import { t } from '../shared/i18n';
import { OFFSCREEN_COPY, type OffscreenCopyMessage } from '../offscreen/protocol';

interface OffscreenApi {
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}
interface ContextsApi {
  getContexts(filter: { contextTypes: string[] }): Promise<unknown[]>;
}

const OFFSCREEN_URL = 'src/offscreen/offscreen.html';

function offscreenApi(): OffscreenApi | undefined {
  return (globalThis as { chrome?: { offscreen?: OffscreenApi } }).chrome?.offscreen;
}

let creating: Promise<void> | null = null;

async function ensureOffscreenDocument(offscreen: OffscreenApi): Promise<void> {
  const runtime = (globalThis as unknown as { chrome: { runtime: ContextsApi } }).chrome.runtime;
  const existing = await runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
  if (existing.length) return;
  creating ??= offscreen
    .createDocument({
      url: OFFSCREEN_URL,
      reasons: ['CLIPBOARD'],
      justification: t('offscreenJustification'),
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

/** True when the text reached the clipboard. */
export async function copyText(text: string): Promise<boolean> {
  const offscreen = offscreenApi();
  try {
    if (!offscreen) {
      await navigator.clipboard.writeText(text);
      return true;
    }
    await ensureOffscreenDocument(offscreen);
    const message: OffscreenCopyMessage = { target: OFFSCREEN_COPY, text };
    return (await browser.runtime.sendMessage(message)) === true;
  } catch {
    return false;
  }
}
