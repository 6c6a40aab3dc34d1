import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { openInputFile } from './read-input-file.js';

/** Hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A pass-through stream that hashes (SHA-256) and counts the bytes going through it: read `sha256()` and `bytes` once it has ended. */
export function hashingStream(): { stream: Transform; sha256(): string; readonly bytes: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return {
    stream,
    sha256: () => hash.digest('hex'),
    get bytes() {
      return bytes;
    },
  };
}

/** Hex SHA-256 of a file, streamed; opened by the safe reader (a regular file only: InputFileProblem otherwise). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await openInputFile(path);
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** JSON with object keys sorted at every level: a stable input for hashing. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** Short, stable id derived from a value: the first `length` hex chars of its canonical hash. */
export function shortHash(value: unknown, length = 12): string {
  return sha256Hex(canonicalJson(value)).slice(0, length);
}
