/** Chrome-only helper page: an offscreen document cannot be focused, so it copies through execCommand. */
import browser from '../shared/browser';
import { isOffscreenCopy } from './protocol';

browser.runtime.onMessage.addListener((message: unknown) => {
  if (!isOffscreenCopy(message)) return undefined;
  const area = document.getElementById('clipboard') as HTMLTextAreaElement;
  area.value = message.text;
  area.select();
  const copied = document.execCommand('copy');
  area.value = '';
  return Promise.resolve(copied);
});
