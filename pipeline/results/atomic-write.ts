import { lstat, open, rename, unlink, mkdir, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeKind, GreenrtError, EnvironmentError, InputError } from '../core/index.js';

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a
 * truncated one: write a temp file beside it, fsync it, rename over the target, fsync the folder.
 * A full disk or an unwritable folder becomes a clear error and leaves no temp file behind.
 * Only a regular file or nothing is replaced: a named pipe, socket, device, folder or symbolic link at
 * `path` is refused (InputError, exit 2, naming it) before anything is written, and checked again just
 * before the rename. This is the one place greenrt renames over a path (docs/RELIABILITY.md, rule 5).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await refuseNonRegularTarget(path);
  try {
    await makeFolders(dir);
    const handle = await open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await refuseNonRegularTarget(path);
    await rename(tmp, path);
    await syncDir(dir);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    if (error instanceof GreenrtError) throw error;
    throw describeWriteError(path, error);
  }
}

/**
 * Refuses to replace anything at `path` but a regular file (or nothing): renaming over a device, pipe, socket or a
 * symbolic link (such as /dev/stdout) would replace the system's entry with a regular file, even as root.
 */
export async function refuseNonRegularTarget(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw describeWriteError(path, error);
  }
  if (info.isFile()) return;
  if (info.isDirectory()) throw describeWriteError(path, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
  throw new InputError(`Cannot write ${path}`, [
    {
      file: path,
      path: '',
      message: `is ${describeKind(info)}: greenrt only replaces a regular file or writes where nothing is`,
      hint: 'Name a new or regular file (for standard output, where a command offers it, pass -).',
    },
  ]);
}

/**
 * Creates `path` and its missing parents, one level at a time: unlike mkdir's recursive mode (which
 * reports ENOENT on a read-only file system), each failure keeps its own code, and a file standing
 * where a folder belongs is named (ENOTDIR). Errors become the same clear errors as failed writes.
 */
export async function ensureFolder(path: string): Promise<void> {
  try {
    await makeFolders(path);
  } catch (error) {
    throw describeWriteError(path, error);
  }
}

async function makeFolders(path: string): Promise<void> {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    const kind = await pathKind(p);
    if (kind === 'folder') break;
    if (kind === 'other') throw Object.assign(new Error(`${p} is a file, not a folder`), { code: 'ENOTDIR', path: p });
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** ENOTDIR from stat means a file sits higher up the path: keep walking up to find it. */
async function pathKind(path: string): Promise<'folder' | 'other' | 'absent'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw error;
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

/**
 * A failed write or folder creation as a clear error: full disk, not writable, a file in the way.
 * `atomic`: the write was atomic, so the message can promise that nothing was half-written.
 */
export function describeWriteError(path: string, error: unknown, atomic = true): GreenrtError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new EnvironmentError('E_DISK_FULL', `Cannot write ${path}: the disk is full (${code}).${atomic ? ' Nothing was half-written.' : ''}`, {
      hint: 'Free space on that file system, then run the command again (an interrupted run resumes with `greenrt run --resume <runDir>`; a new run can write to another file system with `greenrt run --artifacts <dir>`).',
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new EnvironmentError('E_NOT_WRITABLE', `Cannot write ${path}: the folder is not writable (${code}).`, {
      hint: 'Make that folder writable by this user, or write elsewhere (a run: `greenrt run --artifacts <dir>`).',
      cause: error,
    });
  }
  if (code === 'ENOTDIR') {
    const blocker = (error as NodeJS.ErrnoException).path ?? path;
    return new EnvironmentError('E_NOT_A_FOLDER', `Cannot write ${path}: ${blocker} is a file, not a folder (${code}).`, {
      hint: 'Move that file away, or write elsewhere (a run: `greenrt run --artifacts <dir>`).',
      cause: error,
    });
  }
  if (code === 'EISDIR') {
    return new EnvironmentError(
      'E_NOT_A_FILE',
      `Cannot write ${path}: a folder stands where this file belongs (${code}).${atomic ? ' Nothing was half-written.' : ''}`,
      {
        hint: 'Move that folder away (greenrt writes a file there), then run the command again.',
        cause: error,
      },
    );
  }
  if (code === 'ENAMETOOLONG') {
    return new InputError(
      'Path too long',
      [
        {
          file: path,
          path: '',
          message: `a name in this path is longer than the file system allows (${code})`,
          hint: 'Use a shorter path (a run: a shorter `greenrt run --artifacts <dir>`).',
        },
      ],
      { cause: error },
    );
  }
  if (code === 'ELOOP') {
    return new EnvironmentError('E_WRITE', `Cannot write ${path}: too many levels of symbolic links (${code}).`, {
      hint: 'Check the symbolic links on that path.',
      cause: error,
    });
  }
  return new GreenrtError('E_WRITE', `Cannot write ${path}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
