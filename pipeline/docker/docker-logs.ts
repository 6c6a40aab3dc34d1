/**
 * Docker's multiplexed log format (containers without a TTY): 8-byte frames
 * [stream(1=stdout, 2=stderr), 0, 0, 0, size(uint32 BE)] followed by `size` bytes.
 */
export interface DemuxedLogs {
  stdout: string;
  stderr: string;
  /** Both streams interleaved in the order the daemon recorded them. */
  combined: string;
}

export function demuxLogs(buffer: Buffer): DemuxedLogs {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const all: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset];
    const size = buffer.readUInt32BE(offset + 4);
    if (kind !== 1 && kind !== 2 && kind !== 0) {
      // Not multiplexed (a TTY container): the whole buffer is one stream.
      const text = buffer.toString('utf8');
      return { stdout: text, stderr: '', combined: text };
    }
    const frame = buffer.subarray(offset + 8, offset + 8 + size);
    (kind === 2 ? err : out).push(frame);
    all.push(frame);
    offset += 8 + size;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), combined: Buffer.concat(all).toString('utf8') };
}

/** The last `count` non-empty lines of a text. */
export function tailLines(text: string, count: number): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-count).join('\n');
}
