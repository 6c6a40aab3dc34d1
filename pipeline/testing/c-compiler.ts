import { execFileSync } from 'node:child_process';

/** The host's C compiler (cc, gcc or clang), or null: tests that compile a FAKE library skip without one. */
export function findCompiler(): string | null {
  for (const cc of ['cc', 'gcc', 'clang']) {
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Compiles one C file into a shared library at `out` (optionally with a soname and -D defines). */
export function compileSharedLibrary(cc: string, src: string, out: string, options: { soname?: string; defines?: string[] } = {}): void {
  const soname = options.soname ? [`-Wl,-soname,${options.soname}`] : [];
  execFileSync(cc, ['-shared', '-fPIC', '-O1', ...(options.defines ?? []).map((d) => `-D${d}`), ...soname, '-o', out, src]);
}
