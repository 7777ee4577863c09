/**
 * One lock around every read-modify-write of the extension's storage, shared by the popup, the options page
 * and the worker: storage has no transactions, so two contexts that read, change and write the same key
 * would otherwise keep only the last write (a notice, a favourite or a rename would be lost).
 *
 * The Web Locks API is shared by all same-origin contexts of an extension (pages and the service worker in
 * Chrome, pages and the background page in Firefox). Where it is absent (Node unit tests) a queue serialises
 * the work of this context alone.
 */
import { serialQueue } from '../serial';

const STORAGE_LOCK = 'remoteit-storage';

const localQueue = serialQueue();
/** Locked work running in this context: while it runs, nested storage calls must not wait for the lock. */
let heldHere = 0;

export function withStorageLock<T>(work: () => Promise<T>): Promise<T> {
  const run = async () => {
    heldHere++;
    try {
      return await work();
    } finally {
      heldHere--;
    }
  };
  const locks = globalThis.navigator?.locks;
  return locks ? (locks.request(STORAGE_LOCK, run) as Promise<T>) : localQueue(run);
}

/**
 * True while this context holds the lock. The lock is not re-entrant, so code that may run inside locked work
 * (a read that repairs what it found damaged) does its locked part later instead of waiting for itself.
 */
export function isStorageLockHeldHere(): boolean {
  return heldHere > 0;
}
