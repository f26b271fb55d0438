/**
 * The daemon bench's load generator (see daemon.bench.ts), run as a plain Node process as real clients are:
 * under tsx, the loader's own thread and its garbage collections would share the 2 cores and show up in the
 * measured tail. JavaScript, not TypeScript, for that reason; it uses the compiled client from dist/.
 *
 * stdin: exact JSON {target: "daemon" | "echo", socketPath, clients, paceMs (null = closed loop), durationMs,
 * maxRequestsPerClient, samples}. stdout: JSON {latenciesMs, elapsedMs}.
 */
import { connect } from 'node:net';
import { DiskPredictClient } from '../dist/lib/client/index.js';
import { encodeFrame } from '../dist/lib/client/wire/msgpack.js';
import { parseJsonExact } from '../dist/lib/util/json.js';

/** @typedef {{ send(i: number): Promise<unknown>; close(): void }} BenchClient */

/** @returns {Promise<BenchClient>} a DiskPredictClient sending `predict` with the samples, connected */
async function daemonClient(socketPath, samples) {
  const c = new DiskPredictClient({ socketPath });
  await c.request('health'); // connect first: measure requests, not connects
  return { send: (i) => c.request('predict', { devid: `bench-${i}`, samples }), close: () => c.close() };
}

/** @returns {Promise<BenchClient>} a client of the echo process: the same request bytes, sent back */
async function echoClient(socketPath, samples) {
  const request = encodeFrame({ op: 'predict', devid: 'bench', samples });
  const socket = connect(socketPath);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let waiting;
  socket.on('data', (chunk) => {
    if (waiting && (waiting.got += chunk.length) >= request.length) waiting.done();
  });
  return {
    send: () =>
      new Promise((done) => {
        waiting = { got: 0, done };
        socket.write(request);
      }),
    close: () => socket.destroy(),
  };
}

function sleep(ms) {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

async function run(config) {
  const { target, socketPath, clients, paceMs, durationMs, maxRequestsPerClient, samples } = config;
  const connectOne = target === 'echo' ? echoClient : daemonClient;
  const conns = await Promise.all(Array.from({ length: clients }, () => connectOne(socketPath, samples)));
  const latenciesMs = [];
  const start = performance.now();
  await Promise.all(
    conns.map(async (c, i) => {
      // Paced clients keep a fixed timetable (phases spread over the period): a send time computed from the
      // previous reply would let late clients drift together into bursts that only the load generator makes.
      const offset = paceMs === null ? 0 : (paceMs * i) / clients;
      for (let k = 0; k < maxRequestsPerClient; k++) {
        if (paceMs !== null) await sleep(start + offset + k * paceMs - performance.now());
        if (performance.now() - start >= durationMs) break;
        const t = performance.now();
        await c.send(i);
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  for (const c of conns) c.close();
  return { latenciesMs, elapsedMs };
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(JSON.stringify(await run(parseJsonExact(input))));
