/**
 * The soak's hostile client (see soak.ts): one attack from issue 17's campaign, run for `durationMs`, then every
 * connection it opened is dropped. Plain Node, raw sockets (a hostile client does not use our client library).
 *
 * stdin: JSON {socketPath, attack, durationMs, bigDevid}. stdout: JSON {sent, replies, refused} (what the attack
 * got back: replies read, connections refused or closed by the daemon).
 */
import { connect } from 'node:net';
import { encodeFrame } from '../dist/lib/client/wire/msgpack.js';
import { parseJsonExact } from '../dist/lib/util/json.js';

const MIB = 1024 * 1024;

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function open(socketPath, stats) {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    s.on('error', () => undefined);
    s.once('close', () => stats.refused++);
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(undefined));
  });
}

/** Pipelines hundreds of large `history` requests on a few connections and never reads a reply. */
async function amplification({ socketPath, durationMs, bigDevid }, stats) {
  const line = JSON.stringify({ op: 'history', devid: bigDevid, limit: 1000 }) + '\n';
  const sockets = [];
  for (let i = 0; i < 8; i++) {
    const s = await open(socketPath, stats);
    if (!s) continue;
    s.pause();
    s.write(line.repeat(500));
    stats.sent += 500;
    sockets.push(s);
  }
  await sleep(durationMs);
  return sockets;
}

/** Hundreds of connections, each dribbling a request one byte at a time. */
async function slowloris({ socketPath, durationMs }, stats) {
  const sockets = [];
  for (let i = 0; i < 300; i++) {
    const s = await open(socketPath, stats);
    if (s) sockets.push(s);
  }
  const header = Buffer.alloc(4);
  header.writeUInt32BE(MIB, 0);
  for (const s of sockets) s.write(header);
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    for (const s of sockets) if (!s.destroyed) s.write(Buffer.from([0x80]));
    await sleep(500);
  }
  return sockets;
}

/** 64 connections, each holding an unfinished maximum-size frame. */
async function oversize({ socketPath, durationMs }, stats) {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(16 * MIB, 0);
  const body = Buffer.alloc(15 * MIB, 0x80);
  const sockets = [];
  for (let i = 0; i < 64; i++) {
    const s = await open(socketPath, stats);
    if (!s) continue;
    s.on('data', () => stats.replies++);
    s.write(header);
    s.write(body);
    stats.sent++;
    sockets.push(s);
  }
  await sleep(durationMs);
  return sockets;
}

/** Requests that cost much work for few bytes: one device's big stored history named 20 times, thousands of unknown devids. */
async function batchStall({ socketPath, durationMs, bigDevid }, stats) {
  const s = await open(socketPath, stats);
  if (!s) return [];
  const devices = [...Array.from({ length: 20 }, () => ({ devid: bigDevid })), ...Array.from({ length: 9000 }, (_, i) => ({ devid: `nobody-${i}` }))];
  const frame = encodeFrame({ op: 'predict_batch', devices });
  let pending = 0;
  s.on('data', () => {
    stats.replies++;
    pending = 0;
  });
  const end = Date.now() + durationMs;
  while (Date.now() < end && !s.destroyed) {
    if (pending === 0) {
      pending = 1;
      s.write(frame);
      stats.sent++;
    }
    await sleep(50);
  }
  return [s];
}

/** A sample nested far deeper than smartctl output, ingested again and again. */
async function poison({ socketPath, durationMs }, stats) {
  let deep = { leaf: 1 };
  for (let i = 0; i < 1500; i++) deep = { d: deep };
  const s = await open(socketPath, stats);
  if (!s) return [];
  s.on('data', () => stats.replies++);
  const t = Math.floor(Date.now() / 1000);
  const line = JSON.stringify({ op: 'ingest', devid: 'poison', samples: { '20260101-000000': { model_name: 'x', local_time: { time_t: t }, vendor: deep } } }) + '\n';
  const end = Date.now() + durationMs;
  while (Date.now() < end && !s.destroyed) {
    s.write(line);
    stats.sent++;
    await sleep(100);
  }
  return [s];
}

const ATTACKS = { amplification, slowloris, oversize, batchStall, poison };

let input = '';
for await (const chunk of process.stdin) input += chunk;
const config = parseJsonExact(input);
const stats = { sent: 0, replies: 0, refused: 0 };
const sockets = await ATTACKS[config.attack](config, stats);
for (const s of sockets) s.destroy();
process.stdout.write(JSON.stringify(stats));
