import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { Issue } from './yaml-source.js';

/**
 * Duplicate keys in every mapping of `doc`, in one pass: a Set of key texts per mapping. The yaml
 * library's own `uniqueKeys` check compares each key with every earlier one (quadratic: 83 s for a
 * 1 MiB file of distinct keys), so it is turned off and this replaces it. Iterative, so deep
 * documents cannot overflow the stack; aliases are not followed (their targets are checked where they stand).
 */
export function duplicateKeyIssues(doc: Document, lineAt: (offset: number) => number): Issue[] {
  const issues: Issue[] = [];
  const stack: { node: unknown; path: string }[] = [{ node: doc.contents, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        const text = isScalar(key) ? String(key.value) : null;
        const at = `${path}/${text === null ? '' : escapePointer(text)}`;
        if (text !== null) {
          if (seen.has(text)) {
            const offset = (key as Node).range?.[0];
            issues.push({
              path: at,
              ...(offset === undefined ? {} : { line: lineAt(offset) }),
              message: `duplicate key "${text}"`,
              hint: 'Keep one of them: YAML would silently use the last.',
            });
          }
          seen.add(text);
        }
        stack.push({ node: pair.value, path: at });
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) stack.push({ node: item, path: `${path}/${i}` });
    }
  }
  // The stack visits mappings in reverse; report in file order.
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
