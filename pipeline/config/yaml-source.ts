import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { nestsDeeperThan } from '../core/index.js';
import { duplicateKeyIssues, escapePointer } from './yaml-duplicates.js';

/** A problem before the file is attached: `path` is a JSON pointer, `line` is filled in by `YamlSource.lineOf`. */
export interface Issue {
  path: string;
  message: string;
  hint?: string;
  line?: number;
}

/** Bigger experiment files are refused before parsing: a real one is a few KiB. */
export const maxDocumentBytes = 1024 * 1024;
/**
 * Aliases allowed while converting to JS. Low on purpose: a "billion laughs" document expands
 * exponentially through aliases; an experiment may share a provider list a few times, no more.
 */
export const maxAliasCount = 32;

/** Deepest nesting of lists and mappings an experiment may have (a real one nests 4 levels). */
export const maxNestingDepth = 32;
/** YAML errors reported per file (the rest are counted). */
export const maxYamlErrors = 50;

/** What kind of file is read, for the words of its messages: experiment files, and claims files (analysis). */
export interface YamlFileKind {
  /** With its article, as in "more than N bytes an experiment may have". */
  noun: string;
  /** The plural, capitalised: "Experiment files". */
  files: string;
  /** Where examples are. */
  examples: string;
}
export const experimentFileKind: YamlFileKind = { noun: 'an experiment', files: 'Experiment files', examples: 'experiments/*.yaml' };

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const tooDeep = (kind: YamlFileKind): Issue => ({
  path: '',
  line: 1,
  message: `lists and mappings nest more than ${maxNestingDepth} levels deep`,
  hint: `${capitalised(kind.noun)} nests a few levels; check that this is the right file.`,
});

export interface YamlSource {
  /** The parsed value (undefined when the text could not be turned into data). */
  data: unknown;
  issues: Issue[];
  /** 1-based line of the node at `pointer`, or of its nearest existing parent. */
  lineOf(pointer: string): number | undefined;
}

/** Refuses files over `maxDocumentBytes` (`sizeBytes`: the file's full size when `bytes` was read capped), decodes (strict UTF-8), parses (one YAML document) and converts to JS, collecting every issue. */
export function parseYamlSource(bytes: Uint8Array, sizeBytes = bytes.byteLength, kind: YamlFileKind = experimentFileKind): YamlSource {
  const none: YamlSource = { data: undefined, issues: [], lineOf: () => undefined };
  if (sizeBytes > maxDocumentBytes) {
    none.issues.push({
      path: '',
      message: `file is ${sizeBytes} bytes, more than the ${maxDocumentBytes} bytes ${kind.noun} may have`,
      hint: `${kind.files} are small YAML documents; check that this is the right file.`,
    });
    return none;
  }
  const text = decodeUtf8(bytes, none.issues);
  if (text === undefined) return none;

  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    // uniqueKeys is checked by duplicateKeyIssues, in linear time.
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    none.issues.push(tooDeep(kind));
    return none;
  }
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (pointer: string) => lineOfPointer(doc, pointer, lineAt);
  const issues: Issue[] = [];

  if (doc.contents === null && doc.errors.length === 0) {
    issues.push({ path: '', line: 1, message: 'file is empty', hint: `Write ${kind.noun}: see ${kind.examples} for examples.` });
    return { data: undefined, issues, lineOf };
  }
  const problems = [...doc.errors, ...doc.warnings];
  const syntaxBroken = doc.errors.length > 0;
  // A file can hold thousands of syntax errors; the first ones say what is wrong.
  for (const e of problems.slice(0, maxYamlErrors)) {
    const offset = e.pos[0];
    const first = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.message;
    if (/Maximum call stack size exceeded/.test(first)) {
      issues.push({ ...tooDeep(kind), line: lineAt(offset) });
      continue;
    }
    const ours = inOurWords[e.code];
    if (ours) {
      issues.push({ path: pathAtOffset(doc, offset), line: lineAt(offset), ...ours });
      continue;
    }
    const what = e.name === 'YAMLWarning' ? 'YAML warning' : 'YAML syntax error';
    issues.push({ path: pathAtOffset(doc, offset), line: lineAt(offset), message: `${what}: ${first}`, hint: 'Fix the YAML at this line.' });
  }
  if (problems.length > maxYamlErrors) {
    issues.push({
      path: '',
      line: lineAt(problems[maxYamlErrors]!.pos[0]),
      message: `and ${problems.length - maxYamlErrors} more YAML errors`,
      hint: 'Fix the first ones, then check again.',
    });
  }
  if (syntaxBroken) return { data: undefined, issues, lineOf };
  // A loop, not push(...): a spread of 100 000 issues overflows the stack.
  for (const issue of duplicateKeyIssues(doc, lineAt)) issues.push(issue);
  for (const issue of mergeKeyIssues(doc, lineAt)) issues.push(issue);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount });
  } catch (error) {
    if (error instanceof RangeError) {
      issues.push(tooDeep(kind));
      return { data: undefined, issues, lineOf };
    }
    issues.push({
      path: '',
      line: 1,
      message: `too many YAML aliases (more than ${maxAliasCount} after expansion): ${(error as Error).message}`,
      hint: 'Write the values out instead of nesting anchors and aliases.',
    });
    return { data: undefined, issues, lineOf };
  }
  if (nestsDeeperThan(data, maxNestingDepth)) {
    issues.push(tooDeep(kind));
    return { data: undefined, issues, lineOf };
  }
  return { data, issues, lineOf };
}

/** The YAML library's messages that have a plainer form, by the library's error code. */
const inOurWords: Partial<Record<string, { message: string; hint: string }>> = {
  MULTIPLE_DOCS: {
    message: 'a second YAML document starts here (a `---` line): the file must hold one document',
    hint: 'Remove the `---` line (and what follows it, if it belongs elsewhere); one file holds one document.',
  },
  TAB_AS_INDENT: {
    message: 'this line is indented with a tab: YAML indents with spaces only',
    hint: 'Replace the tab with spaces (two per level, as in the examples).',
  },
};

/** `<<` keys: YAML 1.2 (what greenrt reads) has no merge keys, so `<<: *anchor` would be a key named "<<". */
function mergeKeyIssues(doc: Document, lineAt: (offset: number) => number): Issue[] {
  const out: Issue[] = [];
  // Iterative: a deeply nested document (refused later) must not overflow the stack here.
  const stack: [unknown, string][] = [[doc.contents, '']];
  while (stack.length > 0 && out.length < 50) {
    const [node, path] = stack.pop()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (key === '<<') {
          out.push({
            path: `${path}/<<`,
            line: lineAt((pair.key as Node).range?.[0] ?? 0),
            message: '"<<" (a YAML merge key) is not supported: greenrt reads YAML 1.2, which has no merge keys',
            hint: 'Write the keys out in this mapping instead of merging an anchor into it.',
          });
        }
        stack.push([pair.value, `${path}/${escapePointer(key)}`]);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) stack.push([item, `${path}/${i}`]);
    }
  }
  return out.slice(0, 50);
}

/** Strict UTF-8; on failure, names the first bad line (a newline byte never occurs inside a multi-byte sequence). */
function decodeUtf8(bytes: Uint8Array, issues: Issue[]): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          decoder.decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    issues.push({
      path: '',
      line,
      message: 'file is not valid UTF-8 text',
      hint: 'Save it as UTF-8 (e.g. `iconv -f latin1 -t utf-8`).',
    });
    return undefined;
  }
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Each mapping's pairs by key text, built once: `lineOf` for every problem stays linear in the file. */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairIndex(node: YAMLMap): Map<string, Pair> {
  let index = pairIndexes.get(node);
  if (!index) {
    index = new Map();
    for (const p of node.items) if (!index.has(keyText(p.key))) index.set(keyText(p.key), p as Pair);
    pairIndexes.set(node, index);
  }
  return index;
}

function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * Walks `pointer` down the YAML tree. A path ending at a map key points at the key's line
 * (a block value starts on the next line); a missing segment stops at the nearest parent.
 */
function lineOfPointer(doc: Document, pointer: string, lineAt: (offset: number) => number): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  const segments = pointer === '' ? [] : pointer.split('/').slice(1).map(unescapePointer);
  for (const seg of segments) {
    node = deref(doc, node);
    if (isMap(node)) {
      const pair = pairIndex(node).get(seg);
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!/^\d+$/.test(seg) || item === undefined) break;
      offset = (item as Node | null)?.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : lineAt(offset);
}

/** JSON pointer of the deepest node whose source range holds `offset` (for errors yaml reports by offset). */
function pathAtOffset(doc: Document, offset: number): string {
  const inside = (n: unknown) => {
    const r = (n as Node | null)?.range;
    return !!r && r[0] <= offset && offset < r[2];
  };
  let path = '';
  let node: unknown = doc.contents;
  for (;;) {
    let next: { seg: string; node: unknown } | undefined;
    if (isMap(node)) {
      for (const p of node.items) {
        if (!isPair(p)) continue;
        if (inside(p.key) || inside(p.value)) next = { seg: keyText(p.key), node: inside(p.value) ? p.value : undefined };
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (inside(item)) next = { seg: String(i), node: item };
      });
    }
    if (!next) return path;
    path += `/${escapePointer(next.seg)}`;
    if (next.node === undefined) return path;
    node = next.node;
  }
}
