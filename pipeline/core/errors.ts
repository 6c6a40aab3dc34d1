/**
 * Typed errors. Every error has a stable `code`, a `hint` (the next step for the user)
 * and an optional `cause`. Only the CLI turns errors into exit codes (see `exitCodeFor`).
 */
import { escapeText } from './escape-text.js';

export const ExitCode = {
  ok: 0,
  internal: 1,
  badInput: 2,
  missingEnvironment: 3,
  trialsFailed: 4,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class GreenrtError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue = ExitCode.internal;

  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}

/** One problem inside an input file: where it is and what to do. */
export interface InputProblem {
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** JSON-pointer-like path inside the document, e.g. `/runtimes/0/name`. */
  path: string;
  message: string;
  hint?: string;
}

/**
 * `<file>:<line> <path>: <message>. <hint>` on one line. Every part may carry text from the input
 * (keys, values, names), so each is escaped and capped (`escapeText`): a problem line cannot move the
 * cursor or run on for pages.
 */
export function formatProblem(p: InputProblem): string {
  const file = escapeText(p.file, 300);
  const where = p.line === undefined ? file : `${file}:${p.line}`;
  const hint = p.hint ? ` ${escapeText(p.hint, 500)}` : '';
  return `${where} ${escapeText(p.path || '/', 200)}: ${escapeText(p.message, 500)}.${hint}`;
}

/** Bad user input (experiment files, CLI arguments). Exit code 2. */
export class InputError extends GreenrtError {
  override readonly exitCode = ExitCode.badInput;
  readonly problems: InputProblem[];

  constructor(summary: string, problems: InputProblem[], options: ErrorOptions = {}) {
    super('E_INPUT', `${summary}\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`, options);
    this.problems = problems;
  }
}

/** Something the host lacks (Docker, a GPU, a readable sensor). Exit code 3. */
export class EnvironmentError extends GreenrtError {
  override readonly exitCode = ExitCode.missingEnvironment;
}

/** A bounded wait ran out. */
export class TimeoutError extends GreenrtError {}

/** Data that failed its JSON Schema at a process or disk boundary. */
export class ContractError extends GreenrtError {
  readonly errors: string[];
  constructor(schemaId: string, where: string, errors: string[], options: ErrorOptions = {}) {
    super('E_CONTRACT', `${where} does not match schema ${schemaId}:\n${errors.map((e) => `  - ${e}`).join('\n')}`, options);
    this.errors = errors;
  }
}

export function exitCodeFor(error: unknown): ExitCodeValue {
  return error instanceof GreenrtError ? error.exitCode : ExitCode.internal;
}

export function describeError(error: unknown): string {
  if (error instanceof GreenrtError) {
    return error.hint ? `${error.message}\n${error.hint}` : error.message;
  }
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
