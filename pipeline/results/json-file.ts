import type { Contracts, SchemaIdValue } from '../contracts/index.js';
import { InputFileProblem, type InputProblem, nestsDeeperThan, readInputFile } from '../core/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { maxJsonDepth } from './verify-trial.js';

/**
 * JSON files greenrt writes and reads back outside run folders (the Slurm study record, host-shard entries, the
 * image-description cache): checked against their schema when written and again when read, written atomically.
 * docs/RELIABILITY.md, "Files outside run folders", lists each with its schema.
 */

/** What a damaged file is and what to do about it, for the error or the log line. */
export interface JsonFileUse {
  /** The file as the user should see it (a shown path). */
  shown: string;
  /** What to do: the fix, one sentence. */
  hint: string;
  /** Largest file accepted, bytes (default 16 MiB: these are small records). */
  maxBytes?: number;
  /** Refuse a symbolic link (files in shared folders such as /tmp). */
  noFollow?: boolean;
}

export type JsonFileRead<T> = { ok: true; data: T } | { ok: false; absent: boolean; problems: InputProblem[] };

const defaultMaxBytes = 16 * 1024 * 1024;

/**
 * Reads `file` and checks it against `schemaId` (defaults applied). Never throws for a missing, unreadable,
 * oversized or damaged file: each problem names the file, the JSON path inside it and the fix.
 */
export async function readJsonFile<T>(contracts: Contracts, schemaId: SchemaIdValue, file: string, use: JsonFileUse): Promise<JsonFileRead<T>> {
  const problem = (path: string, message: string): InputProblem => ({ file: use.shown, path, message, hint: use.hint });
  let text: string;
  try {
    text = (await readInputFile(file, use.maxBytes ?? defaultMaxBytes, { noFollow: use.noFollow })).toString('utf8');
  } catch (error) {
    if (!(error instanceof InputFileProblem)) throw error;
    return { ok: false, absent: error.code === 'ENOENT', problems: [problem('', error.reason)] };
  }
  return checkJsonText<T>(contracts, schemaId, text, use);
}

/** `text` parsed and checked against `schemaId` (defaults applied), with problems as `readJsonFile` gives them. */
export function checkJsonText<T>(contracts: Contracts, schemaId: SchemaIdValue, text: string, use: JsonFileUse): JsonFileRead<T> {
  const problem = (path: string, message: string): InputProblem => ({ file: use.shown, path, message, hint: use.hint });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, absent: false, problems: [problem('', `is not valid JSON (${(error as Error).message})`)] };
  }
  if (nestsDeeperThan(data, maxJsonDepth)) return { ok: false, absent: false, problems: [problem('', `nests deeper than ${maxJsonDepth} levels`)] };
  const found = contracts.check(schemaId, data);
  if (found.length > 0) {
    const schema = schemaId.split('/').pop();
    return { ok: false, absent: false, problems: found.slice(0, 10).map((p) => problem(p.path || '/', `${p.message} (schemas/${schema})`)) };
  }
  return { ok: true, data: data as T };
}

/**
 * Checks `data` against `schemaId` and writes it atomically as indented JSON. Data that fails its schema is a
 * bug in greenrt: ContractError naming the file and each JSON path, and nothing is written.
 */
export async function writeJsonFile(contracts: Contracts, schemaId: SchemaIdValue, file: string, data: unknown, shown = file): Promise<void> {
  contracts.assert(
    schemaId,
    data,
    shown,
    `greenrt built data for ${shown} that does not match its schema (schemas/${schemaId.split('/').pop()}): a bug in greenrt; nothing was written. Report it.`,
  );
  await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
}
