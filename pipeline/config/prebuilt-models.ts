import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { sha256File } from '../core/index.js';
import type { Issue } from './yaml-source.js';
import { onnxHeaderProblem } from './onnx-header.js';

/** True when `child` is `parent` or below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Checks each `prebuiltModels[i]` file: inside the experiment's folder (after resolving symlinks),
 * present, a regular file, and matching its sha256. Tolerates entries that failed the schema.
 */
export async function prebuiltModelIssues(data: unknown, baseDir: string): Promise<Issue[]> {
  const entries = data && typeof data === 'object' ? (data as Record<string, unknown>).prebuiltModels : undefined;
  if (!Array.isArray(entries)) return [];
  const issues: Issue[] = [];
  for (const [i, entry] of entries.entries()) {
    if (!entry || typeof entry !== 'object' || typeof (entry as { path?: unknown }).path !== 'string') continue;
    const { path, sha256 } = entry as { path: string; sha256?: unknown };
    const at = `/prebuiltModels/${i}`;
    const outside = {
      path: `${at}/path`,
      message: `prebuilt model path "${path}" leads outside the experiment's folder ${baseDir}`,
      hint: 'Put the .onnx file in (or below) the folder holding the experiment file and give a relative path.',
    };
    const target = resolve(baseDir, path);
    if (!isInside(baseDir, target)) {
      issues.push(outside);
      continue;
    }
    let real: string;
    try {
      real = await realpath(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      issues.push({
        path: `${at}/path`,
        message: code === 'ENOENT' ? `prebuilt model file "${path}" does not exist` : `prebuilt model file "${path}" cannot be read (${code})`,
        hint: `Paths are relative to the experiment's folder ${baseDir}; put the file there or fix "path".`,
      });
      continue;
    }
    if (!isInside(await realpath(baseDir), real)) {
      issues.push({ ...outside, message: `${outside.message} (through a symbolic link to ${real})` });
      continue;
    }
    if (!(await stat(real)).isFile()) {
      issues.push({ path: `${at}/path`, message: `prebuilt model path "${path}" is not a file`, hint: 'Point "path" at the .onnx file itself.' });
      continue;
    }
    const actual = await sha256File(real);
    const notOnnx = await onnxHeaderProblem(real);
    if (notOnnx) {
      // Known now rather than after a run folder is made and every trial of the model has failed.
      issues.push({
        path: `${at}/path`,
        message: `prebuilt model "${path}" is not an ONNX model: ${notOnnx}`,
        hint: 'Export the model to ONNX (e.g. torch.onnx.export) and point "path" at the .onnx file.',
      });
    }
    if (typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) && actual !== sha256) {
      issues.push({
        path: `${at}/sha256`,
        message: `prebuilt model "${path}" has sha256 ${actual}, not the expected ${sha256}`,
        hint: `If the file is the right one, compute its hash with \`sha256sum ${JSON.stringify(path).slice(1, -1)}\` (run in ${baseDir}) and put it in "sha256"; otherwise restore the file.`,
      });
    }
  }
  return issues;
}
