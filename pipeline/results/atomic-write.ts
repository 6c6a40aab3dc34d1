import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GreenrtError, EnvironmentError } from '../core/index.js';

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a
 * truncated one: write a temp file beside it, fsync it, rename over the target, fsync the folder.
 * A full disk or an unwritable folder becomes a clear error and leaves no temp file behind.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await syncDir(dir);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw describeWriteError(path, error);
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

function describeWriteError(path: string, error: unknown): GreenrtError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new EnvironmentError('E_DISK_FULL', `Cannot write ${path}: the disk is full (${code}). Nothing was half-written.`, {
      hint: 'Free space on that file system (or pass --artifacts <dir> on another one), then resume the run with `greenrt run --resume <runDir>`.',
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new EnvironmentError('E_NOT_WRITABLE', `Cannot write ${path}: the folder is not writable (${code}).`, {
      hint: 'Make the artifacts folder writable by this user, or pass --artifacts <dir>.',
      cause: error,
    });
  }
  return new GreenrtError('E_WRITE', `Cannot write ${path}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
