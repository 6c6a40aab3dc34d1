/**
 * The files of an artifact pack: SHA256SUMS (the format `sha256sum -c` reads), the walk that lists a pack folder
 * refusing anything but regular files and folders, and the copy that hashes while it writes. Shared by
 * `ae pack` (writes) and `ae load` (checks).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describeKind, escapeText, GreenrtError, hashingStream, InputError, openInputFile } from '../core/index.js';

/** The sums file's name at the top of a pack. */
export const SUMS_FILE = 'SHA256SUMS';
/** Most files a pack may hold (a run has at most a few thousand trials and traces). */
export const maxPackFiles = 200_000;

/** A pack that is not what its SHA256SUMS says (a changed, missing or extra file, a link, a pipe): exit 4. */
export class ArtifactError extends GreenrtError {
  override readonly exitCode = 4 as const;
  constructor(message: string, hint: string) {
    super('E_ARTIFACT', message, { hint });
  }
}

/** SHA256SUMS text: one `<sha256>  <path>` line per file, sorted by path (what `sha256sum -c SHA256SUMS` checks). */
export function formatSums(sums: ReadonlyMap<string, string>): string {
  return [...sums.keys()]
    .sort()
    .map((p) => `${sums.get(p)}  ${p}\n`)
    .join('');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const badPathChar = /[\u0000-\u001f\u007f\\]/;

/** A relative '/'-separated path that stays in the pack: no empty, `.` or `..` segment, not absolute. */
export function isPackPath(path: string): boolean {
  return path !== '' && !badPathChar.test(path) && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Parses SHA256SUMS; a line that is not `<64 hex>  <pack path>` or a path given twice is InputError (exit 2) naming the line. */
export function parseSums(text: string, shown: string): Map<string, string> {
  const sums = new Map<string, string>();
  const problems: { file: string; path: string; message: string; hint: string }[] = [];
  const hint = 'greenrt ae pack writes this file; the pack was changed after: get the pack again.';
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    const where = `line ${i + 1}`;
    if (!m) problems.push({ file: shown, path: where, message: `"${escapeText(line, 80)}" is not "<sha256>  <path>"`, hint });
    else if (!isPackPath(m[2]!) || m[2] === SUMS_FILE)
      problems.push({ file: shown, path: where, message: `"${escapeText(m[2]!, 80)}" is not a path inside the pack`, hint });
    else if (sums.has(m[2]!)) problems.push({ file: shown, path: where, message: `"${escapeText(m[2]!, 80)}" is listed twice`, hint });
    else sums.set(m[2]!, m[1]!);
  });
  if (sums.size === 0 && problems.length === 0) problems.push({ file: shown, path: '', message: 'lists no file', hint });
  if (problems.length) throw new InputError(`${shown} is not a SHA256SUMS file`, problems);
  return sums;
}

/**
 * Every regular file under `root`, as sorted pack paths. A symbolic link (wherever it points), a named pipe, a
 * socket or a device is ArtifactError (exit 4) naming it: a pack holds only regular files and folders, so anything
 * else was put there after it was written, and following it could read outside the folder or block.
 */
export async function listPackFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(root, rel))).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const stats = await lstat(join(root, path));
      if (stats.isDirectory()) await walk(path);
      else if (stats.isFile()) {
        if (!isPackPath(path)) throw new ArtifactError(`${escapeText(path, 200)} in ${escapeText(root, 300)}: a name the pack cannot hold`, refetch);
        out.push(path);
        if (out.length > maxPackFiles) throw new ArtifactError(`${escapeText(root, 300)} holds more than ${maxPackFiles} files`, refetch);
      } else {
        throw new ArtifactError(
          `${escapeText(join(root, path), 300)} is ${describeKind(stats)}: a pack holds only regular files and folders`,
          `Something other than greenrt ae pack put it there: remove it or get the pack again.`,
        );
      }
    }
  };
  await walk('');
  return out;
}

const refetch = 'Get the pack again (greenrt ae pack writes only the files SHA256SUMS lists).';

/**
 * Copies `from` (read through the safe reader: a regular file, no link, in `within`) to `to` (a new file; its
 * folder is made), hashing the bytes as they pass. Returns the SHA-256 and size of what was written.
 */
export async function copyHashed(from: string, within: string, to: string): Promise<{ sha256: string; bytes: number }> {
  await mkdir(dirname(to), { recursive: true });
  const hashing = hashingStream();
  const handle = await openInputFile(from, { within, noFollow: true });
  try {
    await pipeline(handle.createReadStream({ autoClose: false }), hashing.stream, createWriteStream(to, { flags: 'wx', mode: 0o644 }));
  } finally {
    await handle.close();
  }
  return { sha256: hashing.sha256(), bytes: hashing.bytes };
}

/** SHA-256 and size of a pack file, read through the safe reader (a regular file in `root`, no link). */
export async function hashPackFile(root: string, path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const handle = await openInputFile(join(root, path), { within: root, noFollow: true });
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}
