/**
 * The one way greenrt writes a value into a generated script (the Slurm job scripts, a printed command):
 * `bashScript` is a template tag that single-quotes every interpolated string, and refuses one that no quoting
 * can carry safely (a control character such as a newline: it would end a `#` comment or an `#SBATCH` line and
 * start a command). `#SBATCH` directives are built by `sbatchDirective`, which accepts only characters that
 * Slurm reads literally there (no space, quote, backslash or `%`, Slurm's filename pattern character).
 * docs/RELIABILITY.md, rule 2. pipeline/core/generated-scripts.test.ts finds every script template in the
 * sources and fails when one is not built this way.
 */

/** A value that cannot be written into a script safely: `reason` is the rule, in words. */
export class ScriptValueError extends Error {
  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(value.slice(0, 200))} ${reason}`);
  }
}

/** Script text greenrt wrote itself (never from input): the tag writes it as is. */
export class ScriptFragment {
  constructor(readonly text: string) {}
}

/** Marks greenrt's own script text (a keyword, a fixed option) so that `bashScript` writes it unquoted. */
export const verbatim = (text: string): ScriptFragment => new ScriptFragment(text);

export type ScriptValue = string | number | ScriptFragment | readonly ScriptValue[];

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Single-quoted for bash; a control character (newline, carriage return, ...) is refused: ScriptValueError. */
export function shellQuote(s: string): string {
  if (control.test(s)) throw new ScriptValueError(s, 'holds a control character (a newline, say), which no script line can carry safely');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function render(value: ScriptValue): string {
  if (value instanceof ScriptFragment) return value.text;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ScriptValueError(String(value), 'is not a whole number');
    return String(value);
  }
  if (typeof value === 'string') return shellQuote(value);
  return value.map(render).join(' ');
}

/**
 * Template tag for a bash script: strings are single-quoted (`shellQuote`), whole numbers written as digits,
 * `verbatim(...)` fragments as they are, arrays joined by spaces. Write a value inside a double-quoted word by
 * closing the quotes around it: `"$dir"/${name}"-$k"`.
 */
export function bashScript(strings: TemplateStringsArray, ...values: ScriptValue[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return out;
}

/** Characters Slurm does not read literally in an `#SBATCH` line's value: it splits on spaces, strips quotes and backslashes, and expands `%`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what this refuses
const directiveUnsafe = /[\s"'\\%\u0000-\u001f\u007f-\u009f]/;

/**
 * `#SBATCH <option>=<value><pattern>` (option with its dashes): `value` (from input) must hold only characters Slurm takes literally there
 * (no space, quote, backslash, `%` or control character), else ScriptValueError; `pattern` is greenrt's own filename pattern
 * (`shard-%a-job-%A.out`), written as is.
 */
export function sbatchDirective(option: string, value: string, pattern = ''): ScriptFragment {
  if (directiveUnsafe.test(value)) {
    throw new ScriptValueError(
      value,
      'cannot be written into an #SBATCH line: a space or tab ends the value there, % starts a Slurm filename pattern, quotes and backslashes are rewritten, a newline ends the line',
    );
  }
  return verbatim(`#SBATCH ${option}=${value}${pattern}`);
}
