import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ErrorObject } from 'ajv';
import { SchemaId, type Contracts } from '../contracts/index.js';
import { InputError, InputFileProblem, readInputFile, sha256Hex, type InputProblem } from '../core/index.js';
import { combinationIssues } from '../plan/index.js';
import type { ExperimentSpec, LoadedExperiment } from './experiment-spec.js';
import { claimsPathIssues } from './claims-path.js';
import { prebuiltModelIssues } from './prebuilt-models.js';
import { schemaIssues } from './schema-issues.js';
import { maxDocumentBytes, parseYamlSource, type Issue } from './yaml-source.js';

/**
 * Reads, parses and validates an experiment file, collecting every problem (YAML syntax, duplicate keys,
 * schema, impossible combinations, prebuilt model files, the claims file's path) before throwing one InputError (exit code 2)
 * whose problems carry file, line and JSON-pointer path. On success the spec has the schema defaults applied.
 */
export async function loadExperiment(file: string, contracts: Contracts): Promise<LoadedExperiment> {
  const absolute = resolve(file);
  const shown = displayPath(absolute);
  const baseDir = dirname(absolute);
  const fail = (problems: InputProblem[]): never => {
    throw new InputError(`Experiment ${shown} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}):`, problems, {
      hint: `Fix the problems listed, then check again with \`greenrt validate ${shown}\`.`,
    });
  };

  const { bytes, sizeBytes } = await readCapped(absolute).catch((error: NodeJS.ErrnoException) =>
    fail([
      {
        file: shown,
        path: '',
        message: `experiment file ${error.message}`,
        hint:
          error.code === 'ENOENT'
            ? 'Check the path (experiments live in experiments/*.yaml).'
            : error.code === 'ENOTFILE'
              ? 'Pass the experiment file itself (e.g. experiments/demo.yaml), not a pipe or a device.'
              : 'Check that it is a readable file.',
      },
    ]),
  );

  const source = parseYamlSource(bytes, sizeBytes);
  const issues: Issue[] = [...source.issues];
  const data = source.data;
  if (data !== undefined) {
    const validate = contracts.validator(SchemaId.experiment);
    // Validation applies the schema defaults to `data` in place.
    if (!validate(data)) {
      // A loop, not push(...): a spread of 100 000 issues overflows the stack.
      // A key the YAML reading already explained in greenrt's words (a `<<` merge key) is not reported again as unknown.
      const explained = new Set(source.issues.map((i) => i.path).filter((path) => path !== ''));
      for (const issue of schemaIssues([...(validate.errors as ErrorObject[])], validate.schema as Record<string, unknown>, data))
        if (!explained.has(issue.path)) issues.push(issue);
    }
    issues.push(...combinationIssues(data));
    issues.push(...(await prebuiltModelIssues(data, baseDir)));
    // A claims path the schema refused (outside the folder, wrong name) is not looked up.
    if (!issues.some((i) => i.path === '/claims')) issues.push(...(await claimsPathIssues(data, baseDir)));
  }

  const problems = issues
    .map((i, n) => ({ n, problem: toProblem(i, shown, source.lineOf) }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.n - b.n)
    .map((x) => x.problem);
  if (problems.length > 0) fail(problems);
  return { file: absolute, sha256: sha256Hex(bytes), spec: data as ExperimentSpec, baseDir };
}

function toProblem(issue: Issue, file: string, lineOf: (pointer: string) => number | undefined): InputProblem {
  const line = issue.line ?? lineOf(issue.path);
  return {
    file,
    ...(line === undefined ? {} : { line }),
    path: issue.path,
    message: issue.message,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
  };
}

/** The file through the safe reader; one over `maxDocumentBytes` comes back empty with its size, for parseYamlSource's message. */
async function readCapped(path: string): Promise<{ bytes: Uint8Array; sizeBytes: number }> {
  try {
    const bytes = await readInputFile(path, maxDocumentBytes);
    return { bytes, sizeBytes: bytes.byteLength };
  } catch (error) {
    if (error instanceof InputFileProblem && error.code === 'ETOOBIG') return { bytes: new Uint8Array(), sizeBytes: error.sizeBytes ?? maxDocumentBytes + 1 };
    if (error instanceof InputFileProblem) throw Object.assign(new Error(error.reason), { code: error.code });
    throw error;
  }
}

/** Relative to the working directory when inside it (as a user would type it), else absolute. */
function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}
