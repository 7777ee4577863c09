/** What the extension stores, in the in-memory browser of unit and DOM tests. */
import { fakeBrowser } from '@webext-core/fake-browser';

/** storage.local and storage.sync as one text: to look for a secret in it, or to compare before and after. */
export async function storedEverywhere(): Promise<string> {
  return JSON.stringify([
    await fakeBrowser.storage.local.get(null),
    await fakeBrowser.storage.sync.get(null),
  ]);
}
