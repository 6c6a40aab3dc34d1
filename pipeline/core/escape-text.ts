/**
 * The one escaping rule for text that came from a file (experiment keys and values, trial reasons,
 * container log tails, paths): whatever prints it (terminal, log, report.md, report.html) shows
 * control characters as visible escapes and never more than a bounded number of characters, so a
 * file can neither rewrite the terminal (ESC, CR, backspace, NUL, bidi overrides) nor flood it.
 */

/** Default cap on one untrusted string, characters. */
export const maxShownChars = 200;

// C0 controls, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators,
// zero-width and BOM characters, and lone surrogates.
const unsafe =
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const unsafeButNewline =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Cuts `text` to `maxChars` (whole code points), saying how much was left out. */
export function capText(text: string, maxChars = maxShownChars): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  return `${text.slice(0, end)}…(${text.length - end} more characters)`;
}

/** One line of untrusted text: every control character (newlines too) escaped, then capped. */
export function escapeText(text: string, maxChars = maxShownChars): string {
  // Cap first (on the raw text) so that escaping cannot be used to blow up the output.
  return capText(String(text), maxChars).replace(unsafe, visible);
}

/** Multi-line untrusted text (a log tail, an error message): newlines kept, everything else escaped, capped. */
export function escapeLines(text: string, maxChars = 4000): string {
  return capText(String(text), maxChars).replace(unsafeButNewline, visible);
}
