import { escapeText, InputError } from '../core/index.js';
import { trialIdPattern } from '../plan/index.js';

/**
 * The one place a value from the command line is checked before any command uses it (docs/RELIABILITY.md, rule 4):
 * paths, image references, run ids, numbers and Slurm words. Each checker is a commander argument parser, so the
 * value is refused (InputError, exit 2, naming the option and the rule) while the command line is parsed, before
 * anything runs or reaches a client (a space in an image tag reached the Docker client as a raw TypeError).
 * pipeline/cli/references.test.ts walks every command and fails for an option or argument that takes a value
 * without one of these checkers (or a fixed list of choices).
 */

type Parser<T> = (value: string, previous?: T) => T;
const checkers = new WeakSet<object>();

/** Whether `fn` is one of the checkers below (the enumeration test asks this of every option). */
export function isCheckedParser(fn: unknown): boolean {
  return typeof fn === 'function' && checkers.has(fn);
}

function checker<T>(fn: Parser<T>): Parser<T> {
  checkers.add(fn);
  return fn;
}

/** InputError naming `where` (an option such as --artifacts, or an argument such as <image>), the value and the rule. */
export function refuseValue(where: string, value: string, rule: string, hint?: string): InputError {
  return new InputError('Bad command line', [
    { file: 'command line', path: where, message: `"${escapeText(value, 80)}" ${rule}`, ...(hint === undefined ? {} : { hint }) },
  ]);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function checkPath(where: string, value: string): string {
  if (value === '') throw refuseValue(where, value, 'is empty: name a file or folder (an empty path would silently mean the working directory)');
  if (control.test(value)) throw refuseValue(where, value, 'holds a control character (a newline, say): greenrt takes no such path');
  return value;
}

/** A file or folder path: not empty, no control character. Resolved by the command. */
export const pathValue = (where: string): Parser<string> => checker((value) => checkPath(where, value));

/** Several paths (a variadic argument): each checked as `pathValue`. */
export const pathValues = (where: string): Parser<string[]> => checker((value, previous) => [...(previous ?? []), checkPath(where, value)]);

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
/** Docker's reference grammar (distribution/reference): [host[:port]/]name[:tag][@sha256:digest]. */
const imageReference = new RegExp(`^${domain}${component}(?:/${component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
const imageId = /^(?:sha256:)?[a-f0-9]{12,64}$/;

/** An image tag or id as Docker accepts it. */
export const imageValue = (where: string): Parser<string> =>
  checker((value) => {
    if (value.length <= 255 && (imageReference.test(value) || imageId.test(value))) return value;
    throw refuseValue(
      where,
      value,
      'is not an image reference: a name of lowercase letters, digits and separators (. _ - /), optionally :tag (letters, digits, _ . -, at most 128) or @sha256:<digest>, or an image id (hex)',
      'List greenrt images with: greenrt images list',
    );
  });

/** A run id (the run folder's name): the trial-id rule. */
export const runIdValue = (where: string): Parser<string> =>
  checker((value) => {
    if (trialIdPattern.test(value)) return value;
    throw refuseValue(where, value, "must be 1-128 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
  });

/** A number in [min, max] (whole when `integer`), returned as the text given (the command converts it). */
export const numberValue = (where: string, min: number, max: number, integer = false): Parser<string> =>
  checker((value) => {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (!integer || Number.isInteger(n))) return value;
    throw refuseValue(where, value, `must be ${integer ? 'a whole number' : 'a number'} in [${min}, ${max}]`);
  });

/** A word matching `pattern` (described by `rule`), e.g. a Slurm partition name or a shard K/N. */
export const wordValue = (where: string, pattern: RegExp, rule: string): Parser<string> =>
  checker((value) => {
    if (pattern.test(value)) return value;
    throw refuseValue(where, value, rule);
  });

function checkChoice(where: string, noun: string, choices: readonly string[], value: string): string {
  if (choices.includes(value)) return value;
  throw new InputError('Bad command line', [
    { file: 'command line', path: where, message: `unknown ${noun} "${escapeText(value, 80)}"; must be one of ${choices.join(', ')}` },
  ]);
}

/** A word from `choices` (for arguments: commander's choices are for options). */
export const choiceValue = (where: string, noun: string, choices: readonly string[]): Parser<string> =>
  checker((value) => checkChoice(where, noun, choices, value));

/** Several words from `choices` (a variadic argument). */
export const choiceValues = (where: string, noun: string, choices: readonly string[]): Parser<string[]> =>
  checker((value, previous) => [...(previous ?? []), checkChoice(where, noun, choices, value)]);
