/**
 * The report as a list of blocks, rendered to Markdown (report.md) and to a standalone HTML page
 * (report.html) from the same data, so the two never disagree. Inline text is a small Markdown
 * subset written by the report code: `code`, **bold**, [text](href) and backslash escapes; data
 * strings (reasons, file names) go through `plain()` first so they cannot turn into markup.
 */
import { escapeText } from '../core/index.js';

/** Longest data string (a reason, a description) shown in a report, characters. */
const maxDataChars = 2000;

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; id?: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][]; align?: ('left' | 'right')[] }
  | { kind: 'image'; alt: string; src: string; links: { label: string; href: string }[] };

/** Escapes the characters of a data string that Markdown would read as markup. */
export function plain(s: string): string {
  // Text from files: control characters made visible and the length capped first (the one rule, `escapeText`).
  return (
    escapeText(String(s).replace(/\r?\n/g, ' '), maxDataChars)
      .replace(/[\\`*[\]<>|]/g, (c) => `\\${c}`)
      // Intraword underscores are literal in GFM; only word-edge ones start emphasis.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
      .replace(/\r?\n/g, ' ')
  );
}

/** Inline code span for identifiers (ids, paths); backticks inside are replaced. */
export function code(s: string): string {
  return `\`${escapeText(String(s), 300).replace(/`/g, "'")}\``;
}

export function toMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${b.text}`);
    else if (b.kind === 'paragraph') out.push(b.text);
    else if (b.kind === 'list') out.push(b.items.map((i) => `- ${i}`).join('\n'));
    else if (b.kind === 'table') out.push(markdownTable(b));
    else out.push(`![${b.alt}](${b.src})\n\n${b.links.map((l) => `[${l.label}](${l.href})`).join(' · ')}`);
  }
  return `${out.join('\n\n')}\n`;
}

function markdownTable(t: Extract<Block, { kind: 'table' }>): string {
  const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|') || ' ';
  const align = t.header.map((_, i) => (t.align?.[i] === 'right' ? '---:' : '---'));
  return [t.header, align, ...t.rows].map((r, i) => `| ${(i === 1 ? r : r.map(cell)).join(' | ')} |`).join('\n');
}

const HTML_STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#1a1a1a;line-height:1.45}
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:0.25em 0.5em;vertical-align:top}
th{background:#f2f2f2}td.r{text-align:right;font-variant-numeric:tabular-nums}code{background:#f4f4f4;padding:0 0.2em}
img{max-width:100%;border:1px solid #eee}h2{border-bottom:1px solid #ddd;padding-bottom:0.2em;margin-top:2em}`;

export function toHtml(blocks: readonly Block[], title: string): string {
  const body = blocks.map((b) => {
    if (b.kind === 'heading') return `<h${b.level}${b.id ? ` id="${escapeHtml(b.id)}"` : ''}>${inlineHtml(b.text)}</h${b.level}>`;
    if (b.kind === 'paragraph') return `<p>${inlineHtml(b.text)}</p>`;
    if (b.kind === 'list') return `<ul>\n${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('\n')}\n</ul>`;
    if (b.kind === 'table') {
      const head = `<tr>${b.header.map((h) => `<th>${inlineHtml(h)}</th>`).join('')}</tr>`;
      const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td${b.align?.[i] === 'right' ? ' class="r"' : ''}>${inlineHtml(c)}</td>`).join('')}</tr>`);
      return `<table>\n${head}\n${rows.join('\n')}\n</table>`;
    }
    const links = b.links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join(' · ');
    return `<figure><img src="${escapeHtml(b.src)}" alt="${escapeHtml(b.alt)}"><figcaption>${links}</figcaption></figure>`;
  });
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<style>\n${HTML_STYLE}\n</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/** The inline subset: \x escapes, `code`, **bold**, [text](href); everything else is text. */
export function inlineHtml(s: string): string {
  const token = /\\(.)|`([^`]*)`|\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let out = '';
  let last = 0;
  for (const m of s.matchAll(token)) {
    out += escapeHtml(s.slice(last, m.index));
    if (m[1] !== undefined) out += escapeHtml(m[1]);
    else if (m[2] !== undefined) out += `<code>${escapeHtml(m[2])}</code>`;
    else if (m[3] !== undefined) out += `<strong>${inlineHtml(m[3])}</strong>`;
    else out += `<a href="${escapeHtml(m[5]!)}">${inlineHtml(m[4]!)}</a>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(s.slice(last));
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
