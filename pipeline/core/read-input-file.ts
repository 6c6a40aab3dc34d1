import { constants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Why an input file was not read: `code` is an errno (ENOENT, EACCES, ...) or one of ours. */
export class InputFileProblem extends Error {
  constructor(
    readonly code: 'ENOENT' | 'ENOTFILE' | 'ETOOBIG' | string,
    /** Short and safe to print: never quotes the file's contents. */
    readonly reason: string,
  ) {
    super(reason);
  }
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
export async function readInputFile(path: string, maxBytes: number, options: { noFollow?: boolean } = {}): Promise<Buffer> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | (options.noFollow ? constants.O_NOFOLLOW : 0);
  let handle: FileHandle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    if (code === 'ELOOP' && options.noFollow) throw new InputFileProblem('ENOTFILE', 'is a symbolic link, not a regular file');
    if (code === 'ENOENT') throw new InputFileProblem(code, 'does not exist');
    if (code === 'EISDIR') throw new InputFileProblem('ENOTFILE', 'is a folder, not a regular file');
    throw new InputFileProblem(code, `cannot be read (${code})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new InputFileProblem('ENOTFILE', `is ${describeKind(stats)}, not a regular file`);
    if (stats.size > maxBytes) throw new InputFileProblem('ETOOBIG', `is ${stats.size} bytes, more than the ${maxBytes} bytes allowed`);
    // Read one byte more than allowed: a file that grows while being read is still caught.
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) throw new InputFileProblem('ETOOBIG', `is more than the ${maxBytes} bytes allowed`);
    return buffer.subarray(0, filled);
  } catch (error) {
    if (error instanceof InputFileProblem) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new InputFileProblem(code, `cannot be read (${code})`);
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
