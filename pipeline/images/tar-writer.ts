/**
 * A deterministic ustar writer: the same entries give the same bytes on every host, so the
 * context hash (and the image tag derived from it) depends on file contents only.
 * Normalised: mtime (fixed), uid/gid 0, user/group names empty, mode 0644 (0755 for
 * directories and files with any execute bit). Entries are written in byte order of their path.
 * A path ustar cannot hold (a segment over 100 bytes: some wheel names) gets a PAX `path` record first.
 */

/** One entry: a directory (no data) or a regular file. `path` is relative, '/'-separated. */
export interface TarEntry {
  path: string;
  type: 'file' | 'directory';
  data?: Uint8Array;
  executable?: boolean;
}

/** Fixed mtime for every entry: 2000-01-01T00:00:00Z, in seconds since the epoch. */
export const FIXED_MTIME_S = 946_684_800;

const BLOCK = 512;

/** Serialises entries as an uncompressed ustar archive (sorted; duplicates rejected). */
export function writeTar(entries: TarEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => compareBytes(a.path, b.path));
  const chunks: Buffer[] = [];
  let previous: string | undefined;
  for (const entry of sorted) {
    if (entry.path === previous) throw new Error(`Duplicate tar entry ${entry.path}`);
    previous = entry.path;
    const data = entry.type === 'file' ? Buffer.from(entry.data ?? new Uint8Array()) : Buffer.alloc(0);
    chunks.push(...headers(entry, data.length));
    if (data.length > 0) {
      chunks.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad > 0) chunks.push(Buffer.alloc(pad));
    }
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The entry's header, after a PAX extended header (typeflag x) carrying the path when ustar cannot. */
function headers(entry: TarEntry, size: number): Buffer[] {
  const name = entry.type === 'directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
  const split = splitName(name);
  if (split) return [header(entry, size, split)];
  const record = paxRecord('path', name);
  const pax = header({ path: 'PaxHeader', type: 'file' }, record.length, ['', 'PaxHeader'], 'x');
  const body = Buffer.concat([record, Buffer.alloc((BLOCK - (record.length % BLOCK)) % BLOCK)]);
  // The ustar name field keeps the last 99 bytes of the path: readers take the PAX record.
  const tail = Buffer.from(name).subarray(-99).toString('utf8');
  return [pax, body, header(entry, size, ['', tail])];
}

/** One PAX record, "<length> <key>=<value>\n", its length counting itself. */
function paxRecord(key: string, value: string): Buffer {
  const text = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(text);
  while (String(length).length + Buffer.byteLength(text) !== length) length = String(length).length + Buffer.byteLength(text);
  return Buffer.from(`${length}${text}`);
}

function header(entry: TarEntry, size: number, [prefix, base]: [string, string], typeflag?: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(base, 0, 100, 'utf8');
  const mode = entry.type === 'directory' || entry.executable ? 0o755 : 0o644;
  writeOctal(h, mode, 100, 8);
  writeOctal(h, 0, 108, 8); // uid
  writeOctal(h, 0, 116, 8); // gid
  writeOctal(h, size, 124, 12);
  writeOctal(h, FIXED_MTIME_S, 136, 12);
  h.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  h.write(typeflag ?? (entry.type === 'directory' ? '5' : '0'), 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** ustar keeps long names as prefix (155 bytes) + name (100 bytes), split at a '/'; null when it cannot. */
function splitName(name: string): [string, string] | null {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  const trailing = name.endsWith('/') ? 1 : 0;
  for (let i = name.length - 1 - trailing; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base.length > 0) return [prefix, base];
  }
  return null;
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
