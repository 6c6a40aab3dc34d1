/**
 * Image layers as tar streams: a streaming reader (ustar, PAX and GNU long names, as `docker export` and
 * `GET /containers/{id}/archive` write them) and a writer whose bytes depend only on the entries: numeric
 * owners with empty names, integer mtimes, no atime/ctime, xattrs kept (sorted PAX `SCHILY.xattr.*` records).
 * Used by the image assembly (assemble-image.ts) to make a layer that two builds write byte for byte alike.
 */

/** Tar entry types a layer may hold. */
export type LayerEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo';

/** One entry's metadata; `path` is relative, '/'-separated, without './' or a trailing '/'. */
export interface LayerEntry {
  path: string;
  type: LayerEntryType;
  /** Permission bits including setuid/setgid/sticky (12 bits). */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (integer). */
  mtimeS: number;
  /** Bytes of data (regular files only; 0 otherwise). */
  size: number;
  /** Symlink target, or the hard link's target path (normalised like `path`). */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes (PAX SCHILY.xattr.<name>), value bytes as a binary string. */
  xattrs: Record<string, string>;
}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
const TYPE_FLAGS: Record<string, LayerEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'directory',
  '6': 'fifo',
};
const FLAG_OF: Record<LayerEntryType, string> = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6' };

/** Reads exact byte counts from an async stream of chunks without copying more than needed. */
class ChunkReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Buffer | Uint8Array | string>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.buffered < n && !this.done) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk =
        typeof next.value === 'string' ? Buffer.from(next.value, 'binary') : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.length === 0) continue;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    return this.buffered >= n;
  }

  /** Exactly n bytes, or null at a clean end of stream (no bytes left). Throws on a truncated stream. */
  async read(n: number): Promise<Buffer | null> {
    if (!(await this.fill(n))) {
      if (this.buffered === 0) return null;
      throw new Error(`truncated tar stream: wanted ${n} bytes, ${this.buffered} left`);
    }
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.chunks[0] as Buffer;
      if (head.length <= need) {
        parts.push(head);
        this.chunks.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.chunks[0] = head.subarray(need);
        need = 0;
      }
    }
    this.buffered -= n;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, n);
  }

  /** Passes n bytes to `sink` chunk by chunk (large files are never held whole). */
  async pipe(n: number, sink: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    let left = n;
    while (left > 0) {
      if (!(await this.fill(1))) throw new Error(`truncated tar stream: ${left} data bytes missing`);
      const head = this.chunks[0] as Buffer;
      const take = Math.min(head.length, left);
      const part = head.subarray(0, take);
      if (take === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(take);
      this.buffered -= take;
      left -= take;
      await sink(part);
    }
  }

  async skip(n: number): Promise<void> {
    await this.pipe(n, () => {});
  }
}

/** What the reader hands over per entry: its metadata and a way to stream (or skip) its data. */
export interface ReadEntry {
  entry: LayerEntry;
  /** Streams the entry's data to `sink`; an entry whose data is not read is skipped. */
  data(sink: (chunk: Buffer) => void | Promise<void>): Promise<void>;
}

/**
 * Reads a tar stream entry by entry. Each entry's data must be consumed (or is skipped) before the next one.
 * PAX (`x`, `g`) and GNU long name/link (`L`, `K`) records are folded into the entry that follows.
 */
export async function* readLayerTar(source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>): AsyncGenerator<ReadEntry> {
  const iterable =
    Symbol.asyncIterator in source
      ? source
      : (async function* () {
          yield* source;
        })();
  const reader = new ChunkReader(iterable[Symbol.asyncIterator]());
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const header = await reader.read(BLOCK);
    if (header === null) return;
    if (header.equals(ZERO_BLOCK)) return; // end-of-archive marker (the second zero block and padding follow)
    checkChecksum(header);
    const flag = String.fromCharCode(header[156] ?? 0);
    const size = readNumber(header, 124, 12);
    const padded = size + ((BLOCK - (size % BLOCK)) % BLOCK);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      const body = (await reader.read(padded)) ?? Buffer.alloc(0);
      const data = body.subarray(0, size);
      if (flag === 'x') pax = { ...pax, ...parsePax(data) };
      else if (flag === 'g') globalPax = { ...globalPax, ...parsePax(data) };
      else if (flag === 'L') longName = data.toString('utf8').replace(/\0+$/, '');
      else longLink = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const type = TYPE_FLAGS[flag];
    if (!type) throw new Error(`unsupported tar entry type '${flag}' (${cString(header, 0, 100)})`);
    const records = { ...globalPax, ...pax };
    const prefix = cString(header, 345, 155);
    const name = cString(header, 0, 100);
    const rawPath = records.path ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    const rawLink = records.linkpath ?? longLink ?? cString(header, 157, 100);
    const xattrs: Record<string, string> = {};
    for (const [key, value] of Object.entries(records)) {
      if (key.startsWith('SCHILY.xattr.')) xattrs[key.slice('SCHILY.xattr.'.length)] = value;
    }
    const realSize = records.size !== undefined ? Number(records.size) : size;
    const entry: LayerEntry = {
      path: normalisePath(rawPath),
      type,
      mode: readNumber(header, 100, 8) & 0o7777,
      uid: records.uid !== undefined ? Number(records.uid) : readNumber(header, 108, 8),
      gid: records.gid !== undefined ? Number(records.gid) : readNumber(header, 116, 8),
      mtimeS: Math.floor(records.mtime !== undefined ? Number(records.mtime) : readNumber(header, 136, 12)),
      size: type === 'file' ? realSize : 0,
      linkname: type === 'hardlink' ? normalisePath(rawLink) : type === 'symlink' ? rawLink : '',
      devmajor: readNumber(header, 329, 8),
      devminor: readNumber(header, 337, 8),
      xattrs,
    };
    pax = {};
    longName = undefined;
    longLink = undefined;
    const dataBytes = type === 'file' || type === 'hardlink' ? realSize : 0;
    const dataPadded = dataBytes + ((BLOCK - (dataBytes % BLOCK)) % BLOCK);
    let consumed = false;
    yield {
      entry,
      data: async (sink) => {
        if (consumed) throw new Error(`data of ${entry.path} read twice`);
        consumed = true;
        await reader.pipe(dataBytes, sink);
        await reader.skip(dataPadded - dataBytes);
      },
    };
    if (!consumed) await reader.skip(dataPadded);
  }
}

/** 'a/b/' and './a/b' and '/a/b' are all 'a/b'; the root itself is ''. */
export function normalisePath(raw: string): string {
  let p = raw.replace(/\/+$/, '');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '');
  return p === '.' ? '' : p;
}

/** Path order of a filesystem walk with sorted directory listings: component by component, bytewise. */
export function compareWalkOrder(a: string, b: string): number {
  // Character by character while the characters are below U+D800 (there UTF-16 order is UTF-8 byte order); a
  // component that ends first ('/' against any other character) sorts first. Anything else: componentwise bytes.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 || cb >= 0xd800) return compareWalkOrderBytes(a, b);
    if (ca === 0x2f) return -1;
    if (cb === 0x2f) return 1;
    return ca - cb;
  }
  return a.length - b.length; // one is a prefix of the other: the shorter comes first (an ancestor, or a shorter name)
}

/** compareWalkOrder on the UTF-8 bytes of each component (the definition; the fast path above agrees with it). */
export function compareWalkOrderBytes(a: string, b: string): number {
  const pa = a === '' ? [] : a.split('/');
  const pb = b === '' ? [] : b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = Buffer.compare(Buffer.from(pa[i] as string), Buffer.from(pb[i] as string));
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

/** The header block(s) for an entry: a PAX record first when ustar cannot hold it (long names, xattrs, big numbers). */
export function layerHeader(entry: LayerEntry): Buffer {
  const isDir = entry.type === 'directory';
  const name = isDir && entry.path !== '' ? `${entry.path}/` : entry.path === '' ? './' : entry.path;
  const records: Record<string, string> = {};
  const split = splitUstar(name);
  if (!split) records.path = name;
  if (Buffer.byteLength(entry.linkname) > 100) records.linkpath = entry.linkname;
  if (entry.size > 0o77777777777) records.size = String(entry.size);
  if (entry.uid > 0o7777777) records.uid = String(entry.uid);
  if (entry.gid > 0o7777777) records.gid = String(entry.gid);
  for (const key of Object.keys(entry.xattrs).sort()) records[`SCHILY.xattr.${key}`] = entry.xattrs[key] as string;
  const blocks: Buffer[] = [];
  if (Object.keys(records).length > 0) {
    const body = paxBody(records);
    blocks.push(ustarHeader({ name: 'PaxHeaders/entry', prefix: '', flag: 'x', size: body.length, entry: { ...entry, uid: 0, gid: 0, mode: 0o644 } }));
    blocks.push(body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  const [prefix, base] = split ?? ['', Buffer.from(name).subarray(0, 100).toString('utf8')];
  blocks.push(ustarHeader({ name: base, prefix, flag: FLAG_OF[entry.type], size: entry.type === 'file' ? entry.size : 0, entry }));
  return Buffer.concat(blocks);
}

/** Zero padding after `size` data bytes, and the end-of-archive marker. */
export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

interface HeaderFields {
  name: string;
  prefix: string;
  flag: string;
  size: number;
  entry: LayerEntry;
}

function ustarHeader(f: HeaderFields): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(f.name, 0, 100, 'utf8');
  writeOctal(h, f.entry.mode & 0o7777, 100, 8);
  writeOctal(h, Math.min(f.entry.uid, 0o7777777), 108, 8);
  writeOctal(h, Math.min(f.entry.gid, 0o7777777), 116, 8);
  writeOctal(h, Math.min(f.size, 0o77777777777), 124, 12);
  writeOctal(h, Math.max(0, Math.min(f.entry.mtimeS, 0o77777777777)), 136, 12);
  h.fill(0x20, 148, 156);
  h.write(f.flag, 156, 1, 'ascii');
  if (f.flag !== 'x' && Buffer.byteLength(f.entry.linkname) <= 100) h.write(f.entry.linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  if (f.entry.type === 'char' || f.entry.type === 'block') {
    writeOctal(h, f.entry.devmajor, 329, 8);
    writeOctal(h, f.entry.devminor, 337, 8);
  }
  h.write(f.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** ustar's prefix (155 bytes) + name (100 bytes) split at a '/', or null when the name does not fit. */
function splitUstar(name: string): [string, string] | null {
  if (!/^[\x20-\x7e]*$/.test(name)) return null; // non-ASCII names go in PAX (UTF-8 by definition)
  if (name.length <= 100) return ['', name];
  const trailing = name.endsWith('/') ? 1 : 0;
  for (let i = name.length - 1 - trailing; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const base = name.slice(i + 1);
    if (prefix.length <= 155 && base.length <= 100 && base.length > 0) return [prefix, base];
  }
  return null;
}

/** PAX records "<len> key=value\n", sorted by key; values are binary strings (xattr bytes kept as they are). */
function paxBody(records: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const key of Object.keys(records).sort()) {
    const kv = Buffer.concat([
      Buffer.from(` ${key}=`, 'utf8'),
      Buffer.from(records[key] as string, key.startsWith('SCHILY.xattr.') ? 'binary' : 'utf8'),
      Buffer.from('\n'),
    ]);
    let len = kv.length + 1;
    while (String(len).length + kv.length !== len) len = String(len).length + kv.length;
    parts.push(Buffer.from(String(len)), kv);
  }
  return Buffer.concat(parts);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) throw new Error('bad PAX record length');
    const record = data.subarray(space + 1, at + len - 1);
    const eq = record.indexOf(0x3d);
    const key = record.subarray(0, eq).toString('utf8');
    out[key] = record.subarray(eq + 1).toString(key.startsWith('SCHILY.xattr.') ? 'binary' : 'utf8');
    at += len;
  }
  return out;
}

function cString(buf: Buffer, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return slice.subarray(0, end < 0 ? length : end).toString('utf8');
}

/** Octal (NUL/space padded) or GNU base-256 (high bit set) numbers. */
function readNumber(buf: Buffer, offset: number, length: number): number {
  const first = buf[offset] ?? 0;
  if (first & 0x80) {
    let value = first & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (buf[offset + i] ?? 0);
    return value;
  }
  const text = cString(buf, offset, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function checkChecksum(header: Buffer): void {
  const stored = readNumber(header, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  if (sum !== stored) throw new Error(`bad tar header checksum (${cString(header, 0, 100)})`);
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}
