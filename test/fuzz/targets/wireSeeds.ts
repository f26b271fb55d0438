/**
 * Seeds for the two framings: protocol requests (docs/protocol.md) carrying real smartctl documents as samples,
 * 64-bit integers and every op, and streams of several of them. A case is either a clean stream (the reader must
 * give back exactly the requests, however the bytes are chunked) or a damaged one (typed events only).
 */
import { stringifyJsonExact, type JsonObject, type JsonValue } from '../../../lib/util/json.js';
import type { MessageReader, ReadEvent } from '../../../lib/client/wire/reader.js';
import type { Rng } from '../prng.js';
import { fixtureSmartctlTexts, sharedSmartctlTexts } from '../seeds.js';
import { parseJsonExact } from '../../../lib/util/json.js';
import { oracle } from '../target.js';

export function wireRequests(): JsonObject[] {
  // Small real documents only: a stream of several must stay well below the frame limits tried.
  const docs = [...sharedSmartctlTexts(), ...fixtureSmartctlTexts()]
    .filter((t) => t.length < 12_000)
    .slice(0, 8)
    .map((t) => parseJsonExact(t));
  const reqs: JsonObject[] = [
    { id: 1, op: 'health' },
    { op: 'info' },
    { id: 'm', op: 'metrics' },
    { id: 2, op: 'devices' },
    { id: 3, op: 'history', devid: 'sda', since: '2024-01-01T00:00:00Z', limit: 100 },
    { id: 4, op: 'reload' },
    { id: 2n ** 63n, op: 'history', devid: 'x'.repeat(300), since: 1.7e9 },
    { id: null, op: 'predict_batch', devices: [{ devid: 'a' }, { devid: 'b', samples: {} }], model: 'rules' },
  ];
  docs.forEach((doc, i) => {
    const samples: JsonValue = { '20240101-000000': doc };
    reqs.push({ id: 10 + i, op: i % 2 ? 'ingest' : 'predict', devid: `dev${i}`, samples, ...(i % 2 ? { predict: true } : { model: 'default' }) });
  });
  return reqs;
}

/** Pushes `stream` in random-sized chunks; stops after a fatal event (the daemon closes the connection there). */
export function feed(reader: MessageReader, stream: Uint8Array, rng: Rng, limit: number): ReadEvent[] {
  const buf = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const events: ReadEvent[] = [];
  let pos = 0;
  // Byte-at-a-time now and then (it is slow, and every boundary is already met by the other sizes).
  const maxChunk = rng.chance(0.05) ? 1 : rng.pick([7, 64, 4096, 65536]);
  while (pos < buf.length) {
    const n = 1 + rng.below(maxChunk);
    // A fresh copy per chunk, as a socket gives: the reader may keep what it is handed.
    const got = reader.push(Buffer.from(buf.subarray(pos, pos + n)));
    pos += n;
    for (const e of got) checkEvent(e);
    events.push(...got);
    oracle(reader.bufferedBytes >= 0 && reader.bufferedBytes <= limit + 4, `bufferedBytes ${reader.bufferedBytes} beyond the limit ${limit}`);
    if (got.some((e) => e.kind === 'error' && e.fatal)) break;
  }
  return events;
}

const READER_CODES = new Set(['BAD_REQUEST', 'FRAME_TOO_LARGE']);

function checkEvent(e: ReadEvent): void {
  if (e.kind === 'message') {
    oracle(e.message !== null && typeof e.message === 'object' && !Array.isArray(e.message), 'message is not a map');
    stringifyJsonExact(e.message); // must be plain JSON data (throws otherwise: a failure)
    return;
  }
  oracle(e.kind === 'error', `unknown event kind ${(e as { kind: unknown }).kind}`);
  oracle(READER_CODES.has(e.error.code), `error code ${e.error.code} is not a reader's`);
  oracle(typeof e.error.message === 'string' && typeof e.fatal === 'boolean', 'error event without message or fatal flag');
}

/** A clean stream must come back whole: one message per request, equal as exact JSON. */
export function checkRoundTrip(events: readonly ReadEvent[], sent: readonly JsonObject[]): void {
  oracle(events.length === sent.length, `${sent.length} requests sent, ${events.length} events read`);
  events.forEach((e, i) => {
    oracle(e.kind === 'message', `request ${i}: ${e.kind === 'error' ? e.error.message : ''}`);
    if (e.kind === 'message') oracle(stringifyJsonExact(e.message) === stringifyJsonExact(sent[i]), `request ${i} changed in transit`);
  });
}
