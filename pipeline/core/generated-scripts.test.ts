/**
 * Rule 2 of docs/RELIABILITY.md, enforced over the sources: a script greenrt generates (a template literal that
 * starts a script with `#!` or holds an `#SBATCH` line) is built with the `bashScript` tag, which quotes every
 * value or refuses it, and quoting for a shell happens in one place (core/shell-script.ts). A new script
 * template written as a plain string, or a second hand-made quoting function, fails here.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { shippedSources } from '../testing/source-files.js';
import { bashScript, sbatchDirective, ScriptValueError, shellQuote, verbatim } from './index.js';

const pipelineDir = join(packageRoot, 'pipeline');
const files = shippedSources(pipelineDir).map((file) => ({ file: relative(pipelineDir, file), text: readFileSync(file, 'utf8') }));

/** Every template literal (outermost) with the 30 characters before it. */
function templates(text: string): { before: string; body: string }[] {
  const out: { before: string; body: string }[] = [];
  for (const m of text.matchAll(/`(?:[^`\\]|\\[\s\S])*`/g)) out.push({ before: text.slice(Math.max(0, m.index - 30), m.index), body: m[0] });
  return out;
}

describe('generated scripts are built with bashScript', () => {
  const scriptTemplates = files.flatMap(({ file, text }) =>
    templates(text)
      .filter((t) => /^`#!\//.test(t.body) || /(^|\n)#SBATCH /.test(t.body))
      .map((t) => ({ file, tagged: /bashScript\s*$/.test(t.before) })),
  );

  it('finds the Slurm job scripts (the scan works)', () => {
    expect(scriptTemplates.filter((t) => t.file === 'slurm/sbatch-scripts.ts').length).toBeGreaterThanOrEqual(2);
  });

  it('every script template is tagged bashScript', () => {
    expect(scriptTemplates.filter((t) => !t.tagged).map((t) => t.file)).toEqual([]);
  });

  it("no other file quotes for a shell by hand ('\\'' outside core/shell-script.ts)", () => {
    const quoting = files.filter(
      ({ file, text }) => file !== 'core/shell-script.ts' && (text.includes(`'\\\\''`) || /function\s+\w*[qQ]uote\w*\s*\(/.test(text)),
    );
    expect(quoting.map((f) => f.file)).toEqual([]);
  });
});

describe('bashScript', () => {
  it('quotes strings, writes whole numbers and fragments as they are, joins arrays', () => {
    expect(bashScript`x ${"a'b"} ${3} ${verbatim('--y')} ${['p q', 'r']}`).toBe(`x 'a'\\''b' 3 --y 'p q' 'r'`);
  });

  it('refuses a control character, a fraction, and a directive value Slurm rewrites', () => {
    expect(() => bashScript`x ${'a\nb'}`).toThrow(ScriptValueError);
    expect(() => bashScript`x ${1.5}`).toThrow(ScriptValueError);
    expect(() => shellQuote('a\u2028b')).toThrow(/control character/);
    for (const v of ['a b', 'a%j', 'a"b', "a'b", 'a\\b', 'a\tb']) expect(() => sbatchDirective('--output', v), v).toThrow(ScriptValueError);
    expect(sbatchDirective('--output', '/s/logs/', 'x-%j.out').text).toBe('#SBATCH --output=/s/logs/x-%j.out');
  });
});
