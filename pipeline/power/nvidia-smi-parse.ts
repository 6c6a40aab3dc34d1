/** Pure parsing of nvidia-smi's CSV output (`--format=csv,noheader,nounits`). */

const MISSING = /^\[?(n\/a|not supported|unknown error|insufficient permissions|gpu is lost|requested functionality has been deprecated)\]?$/i;

/** A number, or null for N/A, [Not Supported], [Unknown Error], empty and anything unparsable. */
export function parseSmiNumber(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const text = raw.trim().replace(/\s*(W|MHz|C|MiB|%)$/, '');
  if (text === '' || MISSING.test(text)) return null;
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Text, or null for the missing markers. */
export function parseSmiText(raw: string | undefined): string | null {
  const text = raw?.trim() ?? '';
  return text === '' || MISSING.test(text) ? null : text;
}

/** 'Enabled' / 'Disabled' -> boolean. */
export function parseSmiEnabled(raw: string | undefined): boolean | null {
  const t = parseSmiText(raw)?.toLowerCase();
  return t === 'enabled' ? true : t === 'disabled' ? false : null;
}

/** Fields of one CSV line (nvidia-smi separates with ', ' and does not quote). */
export function splitSmiLine(line: string): string[] {
  return line.split(',').map((f) => f.trim());
}

/**
 * nvidia-smi's `timestamp` ("2024/05/01 12:34:56.789", local time) as ms on a UTC scale. Only
 * differences matter: the offset to CLOCK_MONOTONIC is estimated from arrival times, which also
 * absorbs the time zone.
 */
export function parseSmiTimestampMs(raw: string | undefined): number | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(raw?.trim() ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0')));
}

/** Field names `--query-gpu` accepts, from `nvidia-smi --help-query-gpu`. */
export function parseQueryGpuHelp(text: string): Set<string> {
  const fields = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('"')) continue;
    for (const m of line.matchAll(/"([a-z0-9_.]+)"/gi)) fields.add(m[1]!);
  }
  return fields;
}

/** The first line nvidia-smi printed about a failure (it writes errors to stdout). */
export function smiFailureText(stdout: string, stderr: string): string {
  const line = `${stderr}\n${stdout}`
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line ?? 'no output';
}
