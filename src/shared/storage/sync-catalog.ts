/**
 * The catalog's layout in storage.sync: its JSON cut into chunks that each fit the per-item quota, and a meta
 * entry with the number of chunks and a hash of the whole text. Sync delivers items one by one, so another
 * computer's snapshot can arrive with a chunk missing or from another version: the hash tells a whole
 * snapshot from a torn one.
 */
const CATALOG_META = 'catalog.meta';
const CHUNK_PREFIX = 'catalog.';
/** storage.sync's per-item quota: the key plus the JSON-serialised value, in bytes. */
const ITEM_QUOTA_BYTES = 8_192;
/** storage.sync holds 102,400 bytes; leave room for preferences. */
const SYNC_CATALOG_BUDGET_BYTES = 90_000;

interface CatalogMeta {
  chunks: number;
  /** Of the whole JSON text; absent in snapshots written before version 2. */
  hash?: string;
}

type SyncedCatalog =
  | { state: 'absent' }
  /** Chunks missing or not matching the meta: a snapshot still arriving, never to be written over. */
  | { state: 'torn' }
  /** A meta entry that no version of the extension writes. */
  | { state: 'damaged' }
  /** `verified`: the meta's hash matches, so a text that does not parse was written that way. */
  | { state: 'whole'; json: string; verified: boolean };

const chunkKey = (index: number) => `${CHUNK_PREFIX}${index}`;

/** cyrb53: a fast 53-bit string hash, enough to tell two catalog texts apart. */
function hashText(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function isMeta(value: unknown): value is CatalogMeta {
  const meta = value as Partial<CatalogMeta> | null;
  return (
    typeof meta === 'object' &&
    meta !== null &&
    Number.isInteger(meta.chunks) &&
    meta.chunks! > 0 &&
    meta.chunks! <= 512 &&
    (meta.hash === undefined || typeof meta.hash === 'string')
  );
}

export function readSyncedCatalog(snapshot: Record<string, unknown>): SyncedCatalog {
  const meta = snapshot[CATALOG_META];
  if (meta === undefined) return { state: 'absent' };
  if (!isMeta(meta)) return { state: 'damaged' };
  let json = '';
  for (let index = 0; index < meta.chunks; index++) {
    const chunk = snapshot[chunkKey(index)];
    if (typeof chunk !== 'string') return { state: 'torn' };
    json += chunk;
  }
  if (meta.hash === undefined) return { state: 'whole', json, verified: false };
  return meta.hash === hashText(json) ? { state: 'whole', json, verified: true } : { state: 'torn' };
}

/**
 * Bytes a code point takes in a stored chunk, worst case over browsers: Chrome's JSON writer escapes quotes
 * and backslashes, control characters, `<`, `>`, `&` and the line/paragraph separators.
 */
function storedBytes(codePoint: number): number {
  if (codePoint === 0x22 || codePoint === 0x5c) return 2;
  if (codePoint < 0x20 || codePoint === 0x7f || codePoint === 0x2028 || codePoint === 0x2029) return 6;
  if (codePoint === 0x3c || codePoint === 0x3e || codePoint === 0x26) return 6;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** What an item takes against the quota: its key, and its string value with quotes and escapes. */
function itemBytes(key: string, value: string): number {
  let bytes = utf8Bytes(key) + 2;
  for (const character of value) bytes += storedBytes(character.codePointAt(0)!);
  return bytes;
}

/** Cuts on code points (a surrogate pair stays whole), each chunk's item within the per-item quota. */
function cutChunks(json: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  let offset = 0;
  // The key grows with the chunk count; the quotes around the value take 2 bytes.
  const emptyItemBytes = () => utf8Bytes(chunkKey(chunks.length)) + 2;
  let bytes = emptyItemBytes();
  for (const character of json) {
    const cost = storedBytes(character.codePointAt(0)!);
    if (bytes + cost > ITEM_QUOTA_BYTES) {
      chunks.push(json.slice(start, offset));
      start = offset;
      bytes = emptyItemBytes();
    }
    bytes += cost;
    offset += character.length;
  }
  chunks.push(json.slice(start));
  return chunks;
}

/** The storage.sync items holding the catalog's JSON, or null when it is too big for sync. */
export function encodeCatalog(json: string): Record<string, unknown> | null {
  // Cheap first test: the stored text is never smaller than the UTF-8 text.
  if (utf8Bytes(json) > SYNC_CATALOG_BUDGET_BYTES) return null;
  const chunks = cutChunks(json);
  const meta: CatalogMeta = { chunks: chunks.length, hash: hashText(json) };
  const totalBytes = chunks.reduce(
    (sum, chunk, index) => sum + itemBytes(chunkKey(index), chunk),
    utf8Bytes(CATALOG_META) + utf8Bytes(JSON.stringify(meta)),
  );
  if (totalBytes > SYNC_CATALOG_BUDGET_BYTES) return null;
  const items: Record<string, unknown> = Object.fromEntries(
    chunks.map((chunk, index) => [chunkKey(index), chunk]),
  );
  items[CATALOG_META] = meta;
  return items;
}

/** Chunks a previous, longer catalog left behind. */
export function staleChunkKeys(snapshot: Record<string, unknown>, items: Record<string, unknown>): string[] {
  return Object.keys(snapshot).filter((key) => /^catalog\.\d+$/.test(key) && !(key in items));
}
