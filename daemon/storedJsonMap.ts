/**
 * A reply field made of stored JSON texts (a `history` reply's samples): the connection splices each text into
 * the encoded reply (JSON lines) or packs it a row at a time between time slices (msgpack), instead of the op
 * parsing every stored sample into one object tree that is then encoded in one go. A 4 MiB history reply built
 * as a tree cost tens of ms of event loop and several times its size in heap.
 */
import type { JsonValue } from '../lib/util/json.js';

export class StoredJsonMap {
  /**
   * `entries`: [key, JSON text] pairs, keys distinct. The texts are the store's own (written by
   * stringifyJsonExact at ingest), so they are JSON. `release` is called once the reply has been encoded and
   * queued (or dropped): it returns the reply-size reservation taken before the rows were read.
   */
  constructor(
    readonly entries: readonly (readonly [key: string, json: string])[],
    private readonly release: () => void = () => undefined,
  ) {}

  private released = false;

  done(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }
}

/** What an op hands the connection: JSON data, with stored JSON texts where a field is a StoredJsonMap. */
export interface OutgoingReply {
  [key: string]: JsonValue | StoredJsonMap;
}

/** Returns every StoredJsonMap field's reservation; safe to call more than once. */
export function releaseStoredJson(reply: OutgoingReply): void {
  for (const key in reply) {
    const value = reply[key];
    if (value instanceof StoredJsonMap) value.done();
  }
}
