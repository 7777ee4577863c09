/** storage.local: read with defaults, write, and the notices the popup shows. */
import browser from '../browser';
import { LOCAL_DEFAULTS, MAX_NOTICES, type LocalKey, type LocalState, type Notice } from './schema';

export async function readLocal<K extends LocalKey>(...keys: K[]): Promise<Pick<LocalState, K>> {
  const stored = (await browser.storage.local.get(keys)) as Partial<LocalState>;
  const result = {} as Pick<LocalState, K>;
  for (const key of keys) {
    result[key] = (stored[key] ?? (LOCAL_DEFAULTS as Partial<LocalState>)[key]) as LocalState[K];
  }
  return result;
}

export async function writeLocal(values: Partial<LocalState>): Promise<void> {
  await browser.storage.local.set(values);
}

export async function addNotice(kind: Notice['kind'], text: string): Promise<void> {
  const { notices } = await readLocal('notices');
  await writeLocal({ notices: [{ at: Date.now(), kind, text }, ...notices].slice(0, MAX_NOTICES) });
}
