/**
 * Temporary folders for tests, removed when no longer needed (a Docker e2e run folder is gigabytes):
 * - made inside a test (its body or a beforeEach): removed when that test finishes;
 * - made anywhere else (module level, a describe body, beforeAll): removed after the file's last test.
 * GREENRT_KEEP_TEST_DIRS=1 keeps them all and prints where they are. When a test failed, the paths of its
 * folders are printed (and removed unless GREENRT_KEEP_TEST_DIRS=1: rerun with it to look inside).
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/** Folders made outside a test, released after the file's tests (this module is loaded once per test file). */
const fileScoped: string[] = [];

afterAll(async (file) => {
  const failed = failedTests(file);
  await release(fileScoped.splice(0), failed.length > 0 ? `failed tests (${failed.join('; ')})` : null, 'this file');
});

/** A new empty folder `<os tmpdir>/<prefix>XXXXXX`, removed as the module comment says. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(async ({ task }) => {
      await release([dir], task.result?.state === 'fail' ? `test "${task.name}" failed` : null, `test "${task.name}"`);
    });
  } catch {
    // Not inside a test (vitest: "onTestFinished() can only be called inside a test"): the file's folders.
    fileScoped.push(dir);
  }
  return dir;
}

/** Whether GREENRT_KEEP_TEST_DIRS asks to keep test folders. */
export function keepTestDirs(): boolean {
  return process.env.GREENRT_KEEP_TEST_DIRS === '1';
}

async function release(dirs: string[], failure: string | null, owner: string): Promise<void> {
  if (dirs.length === 0) return;
  if (keepTestDirs()) {
    console.warn(`[greenrt] ${failure ?? owner}: test folders kept (GREENRT_KEEP_TEST_DIRS=1): ${dirs.join(' ')}`);
    return;
  }
  if (failure) console.warn(`[greenrt] ${failure}; its test folders, now removed (GREENRT_KEEP_TEST_DIRS=1 keeps them): ${dirs.join(' ')}`);
  for (const dir of dirs) {
    // A folder left behind is reported, not a reason to fail the tests that used it.
    await rm(dir, { recursive: true, force: true }).catch((error: Error) => console.warn(`[greenrt] could not remove test folder ${dir}: ${error.message}`));
  }
}

interface TaskLike {
  name: string;
  type?: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

/** Names of the failed tests (and failed suites, e.g. a beforeAll that threw) under a file or suite. */
function failedTests(task: TaskLike): string[] {
  const own = task.result?.state === 'fail' && task.type !== 'file' ? [task.name] : [];
  const children = (task.tasks ?? []).flatMap(failedTests);
  return children.length > 0 ? children : own;
}
