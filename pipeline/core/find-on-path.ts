import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The first executable `command` on PATH (like `command -v`), or null. */
export async function findOnPath(command: string, path = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
