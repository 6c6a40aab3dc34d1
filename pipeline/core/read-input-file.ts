import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * The one safe reader (docs/RELIABILITY.md, rule 1): every file greenrt reads is opened here. Non-blocking (a named
 * pipe or a device cannot hang the process), the kind checked on the open descriptor (only a regular file), a size
 * cap, optionally no symbolic link at all (`noFollow`) or confinement to a folder after links are resolved
 * (`within`). pipeline/core/file-access.test.ts fails when any other source file opens or reads a file itself.
 */
export interface InputFileOptions {
  /** Refuse a symbolic link as the last component (files in shared folders such as /tmp, files a container wrote). */
  noFollow?: boolean;
  /** The file must lie in or below this folder once every symbolic link is resolved (a link out of it is refused). */
  within?: string;
}

/** Why an input file was not read: `code` is an errno (ENOENT, EACCES, ...) or one of ours. */
export class InputFileProblem extends Error {
  constructor(
    readonly code: 'ENOENT' | 'ENOTFILE' | 'ETOOBIG' | string,
    /** Short and safe to print: never quotes the file's contents. */
    readonly reason: string,
    /** The file's size in bytes, for ETOOBIG. */
    readonly sizeBytes?: number,
  ) {
    super(reason);
  }
}

const openFlags = (noFollow: boolean | undefined) => constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | (noFollow ? constants.O_NOFOLLOW : 0);

function openProblem(error: unknown, noFollow: boolean | undefined): InputFileProblem {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  if (code === 'ELOOP' && noFollow) return new InputFileProblem('ENOTFILE', 'is a symbolic link, not a regular file');
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputFileProblem('ENOENT', 'does not exist');
  if (code === 'EISDIR') return new InputFileProblem('ENOTFILE', 'is a folder, not a regular file');
  return new InputFileProblem(code, `cannot be read (${code})`);
}

function outside(real: string, folderReal: string): InputFileProblem | null {
  const rel = relative(folderReal, real);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return null;
  return new InputFileProblem('EOUTSIDE', `leads outside ${folderReal} (through a symbolic link to ${real})`);
}

/**
 * Opens an input file for reading with the checks of `readInputFile` (non-blocking, a regular file, `noFollow`,
 * `within`) and no size cap: for readers that walk a large file (a model) a few bytes at a time. The caller closes it.
 */
export async function openInputFile(path: string, options: InputFileOptions = {}): Promise<FileHandle> {
  let target = path;
  if (options.within !== undefined) {
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      throw openProblem(error, options.noFollow);
    }
    const problem = outside(real, await realpath(options.within).catch(() => resolve(options.within!)));
    if (problem) throw problem;
    target = real;
  }
  let handle: FileHandle;
  try {
    handle = await open(target, openFlags(options.noFollow || options.within !== undefined));
  } catch (error) {
    throw openProblem(error, options.noFollow);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InputFileProblem('ENOTFILE', `is ${describeKind(stats)}, not a regular file`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** `readInputFile` for synchronous callers: the same checks, the same problems. */
export function readInputFileSync(path: string, maxBytes: number, options: InputFileOptions = {}): Buffer {
  let target = path;
  if (options.within !== undefined) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      throw openProblem(error, options.noFollow);
    }
    let folder: string;
    try {
      folder = realpathSync(options.within);
    } catch {
      folder = resolve(options.within);
    }
    const problem = outside(real, folder);
    if (problem) throw problem;
    target = real;
  }
  let fd: number;
  try {
    fd = openSync(target, openFlags(options.noFollow || options.within !== undefined));
  } catch (error) {
    throw openProblem(error, options.noFollow);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputFileProblem('ENOTFILE', `is ${describeKind(stats)}, not a regular file`);
    const buffer = readBuffer(stats.size, maxBytes);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
      if (filled === buffer.length) break;
    }
    return readBytes(buffer, filled, maxBytes);
  } catch (error) {
    throw readProblem(error);
  } finally {
    closeSync(fd);
  }
}

/**
 * The buffer a read fills: refuses a file already over `maxBytes`, and holds one byte more than
 * allowed so that a file growing while it is read is still caught (readBytes).
 */
function readBuffer(sizeBytes: number, maxBytes: number): Buffer {
  if (sizeBytes > maxBytes) throw new InputFileProblem('ETOOBIG', `is ${sizeBytes} bytes, more than the ${maxBytes} bytes allowed`, sizeBytes);
  return Buffer.alloc(Math.min(sizeBytes, maxBytes) + 1);
}

/** The bytes read, or ETOOBIG when the file grew past `maxBytes` while it was read. */
function readBytes(buffer: Buffer, filled: number, maxBytes: number): Buffer {
  if (filled > maxBytes) throw new InputFileProblem('ETOOBIG', `is more than the ${maxBytes} bytes allowed`);
  return buffer.subarray(0, filled);
}

/** A failed read as an InputFileProblem (one already is passes through). */
function readProblem(error: unknown): InputFileProblem {
  if (error instanceof InputFileProblem) return error;
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  return new InputFileProblem(code, `cannot be read (${code})`);
}

/** What a file system entry is, in words ("a folder", "a named pipe (FIFO)", ...). */
export function describeKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/**
 * Reads an input file only if it is a regular file of at most `maxBytes`. The file is opened
 * non-blocking, so a named pipe or a device cannot hang the process (a FIFO's open waits for a
 * writer forever, out of reach of SIGINT); its kind is then checked on the open descriptor, so it
 * cannot be swapped between the check and the read. `noFollow`: refuse a symbolic link.
 */
export async function readInputFile(path: string, maxBytes: number, options: InputFileOptions = {}): Promise<Buffer> {
  const handle = await openInputFile(path, options);
  try {
    const stats = await handle.stat();
    const buffer = readBuffer(stats.size, maxBytes);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    return readBytes(buffer, filled, maxBytes);
  } catch (error) {
    throw readProblem(error);
  } finally {
    await handle.close();
  }
}

/** True when `value` (parsed JSON or YAML) nests objects/arrays deeper than `maxDepth`; iterative, so it cannot overflow the stack. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
