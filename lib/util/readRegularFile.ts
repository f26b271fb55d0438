/**
 * Reading a file the program was pointed at (a model, a config, a SMART dump) without trusting what it is: a FIFO
 * would block for ever, a character device such as /dev/zero never ends, a huge file would exhaust memory. Only
 * a regular file up to `maxBytes` is read; anything else is a FileReadError that names the path, never the
 * contents.
 */
import {
  close as closeCallback,
  closeSync,
  constants,
  fstat as fstatCallback,
  fstatSync,
  open as openCallback,
  openSync,
  read as readCallback,
  readSync,
  type Stats,
} from 'node:fs';

export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    /** what is wrong, without the path */
    readonly reason: string,
    readonly path: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

function checkShape(st: Stats, path: string, maxBytes: number): void {
  if (!st.isFile()) throw new FileReadError(`${kindOf(st)}, not a regular file`, path);
  if (st.size > maxBytes) throw new FileReadError(`${st.size} bytes, over the limit of ${maxBytes}`, path);
}

/** One read of a checked file into a buffer one byte larger than its size, so growth past the limit shows. */
class BoundedRead {
  readonly buf: Buffer;
  filled = 0;

  constructor(
    st: Stats,
    private readonly path: string,
    private readonly maxBytes: number,
  ) {
    checkShape(st, path, maxBytes);
    this.buf = Buffer.allocUnsafe(Math.min(maxBytes, st.size) + 1);
  }

  /** Counts `n` bytes just read; true when the read is complete. */
  add(n: number): boolean {
    if (n === 0) return true;
    this.filled += n;
    if (this.filled < this.buf.length) return false;
    if (this.filled > this.maxBytes) throw new FileReadError(`grew past the limit of ${this.maxBytes} bytes while being read`, this.path);
    return true;
  }

  get bytes(): Buffer {
    return this.buf.subarray(0, this.filled);
  }
}

function openError(err: unknown, path: string): FileReadError {
  const e = err as NodeJS.ErrnoException;
  return new FileReadError(`cannot read (${e.code ?? (err instanceof Error ? err.message : String(err))})`, path);
}

export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw openError(err, path);
  }
  try {
    const read = new BoundedRead(fstatSync(fd), path, maxBytes);
    while (!read.add(readSync(fd, read.buf, read.filled, read.buf.length - read.filled, null)));
    return read.bytes;
  } catch (err) {
    throw err instanceof FileReadError ? err : openError(err, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * The callback API wrapped by hand: fs/promises opens a FileHandle (an EventEmitter) per file, which costs ~0.1 ms
 * per file when hundreds of small files are read, and `util.promisify` would load node:util (and its MIME and
 * argument parsers) into every command.
 */
const settle = <T>(resolve: (v: T) => void, reject: (e: unknown) => void) => (err: NodeJS.ErrnoException | null, value: T) =>
  err ? reject(err) : resolve(value);
const openAsync = (path: string, flags: number): Promise<number> => new Promise((res, rej) => openCallback(path, flags, settle(res, rej)));
const fstatAsync = (fd: number): Promise<Stats> => new Promise((res, rej) => fstatCallback(fd, settle(res, rej)));
const readAsync = (fd: number, buf: Buffer, offset: number, length: number): Promise<number> =>
  new Promise((res, rej) => readCallback(fd, buf, offset, length, null, settle(res, rej)));
const closeAsync = (fd: number): Promise<void> => new Promise((res, rej) => closeCallback(fd, (err) => (err ? rej(err) : res())));

export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  let fd: number;
  try {
    fd = await openAsync(path, OPEN_FLAGS);
  } catch (err) {
    throw openError(err, path);
  }
  try {
    const read = new BoundedRead(await fstatAsync(fd), path, maxBytes);
    while (!read.add(await readAsync(fd, read.buf, read.filled, read.buf.length - read.filled)));
    return read.bytes;
  } catch (err) {
    throw err instanceof FileReadError ? err : openError(err, path);
  } finally {
    await closeAsync(fd);
  }
}
