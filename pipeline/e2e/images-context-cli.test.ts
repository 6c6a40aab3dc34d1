/**
 * `greenrt images context` and its shell wrapper images/build-context.sh write the very tar `images build`
 * sends to the daemon: same bytes, same content-hash tag (one layout: pipeline/images/build-context.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';
import { imageContext, readSourceDateEpoch } from '../images/index.js';
import { tempDir } from '../testing/temp-dir.js';
import { cliEntry, ensureCliBuilt, runCli } from './e2e-support.js';

/** The environment without the variables that change a context (the test sets them itself). */
const cleanEnv = { GREENRT_CA_BUNDLE: 'none', GREENRT_NVIDIA_INDEX: '' };

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((name) => {
    const path = rel ? `${rel}/${name}` : name;
    return statSync(join(dir, path)).isDirectory() ? [path, ...filesUnder(dir, path)] : [path];
  });
}

describe('greenrt images context', () => {
  let dir: string;
  beforeAll(() => {
    ensureCliBuilt();
    dir = tempDir('greenrt-images-context-');
  }, 180_000);

  it('writes the bytes images build would send and prints that tag and the docker build line', async () => {
    const out = join(dir, 'onnxruntime-cpu.tar');
    const r = await runCli(['images', 'context', 'onnxruntime', '--out', out], { env: cleanEnv });
    expect(r.code, r.stderr).toBe(0);
    const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'cpu', caBundlePath: null });
    expect(readFileSync(out).equals(ctx.tar)).toBe(true);
    expect(r.stdout).toContain(`${ctx.tag}  ${ctx.files.length} entries`);
    expect(r.stdout).toContain(`docker build -t ${ctx.tag} --build-arg FLAVOUR=cpu --build-arg SOURCE_DATE_EPOCH=${readSourceDateEpoch()} - < '${out}'\n`);
  });

  it('--out - writes the tar to standard output (for | docker build -), the tag and command to standard error', async () => {
    const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'cpu', caBundlePath: null });
    const r = await promisify(execFile)(process.execPath, [cliEntry, 'images', 'context', 'onnxruntime', '--out', '-'], {
      encoding: 'buffer',
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, ...cleanEnv },
    });
    expect(Buffer.compare(r.stdout, ctx.tar)).toBe(0);
    expect(r.stderr.toString()).toContain(`docker build -t ${ctx.tag} --build-arg FLAVOUR=cpu --build-arg SOURCE_DATE_EPOCH=${readSourceDateEpoch()} -\n`);
  });

  it('--out naming a named pipe, a socket or a symbolic link: exit 2 naming it, nothing replaced (as root it replaced /dev/full)', async () => {
    const fifo = join(dir, 'fifo.tar');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'stdout-like');
    symlinkSync(join(dir, 'elsewhere'), link);
    const sock = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(sock, done));
    try {
      for (const [target, kind] of [
        [fifo, 'a named pipe (FIFO)'],
        [link, 'a symbolic link'],
        [sock, 'a socket'],
      ] as const) {
        const r = await runCli(['images', 'context', 'onnxruntime', '--out', target], { env: cleanEnv, timeoutMs: 30_000 });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`${target} /: is ${kind}: greenrt only replaces a regular file or writes where nothing is.`);
        expect(r.stderr).toContain('Nothing was written.');
      }
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(lstatSync(sock).isSocket()).toBe(true);
      expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    } finally {
      server.close();
    }
  });

  it('sends GREENRT_CA_BUNDLE (or the host trust store) in the tar but leaves it out of the tag; the flavour counts', async () => {
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const out = join(dir, 'pytorch-cuda.tar');
    const r = await runCli(['images', 'context', 'pytorch', '--flavour', 'cuda', '--out', out], { env: { ...cleanEnv, GREENRT_CA_BUNDLE: ca } });
    expect(r.code, r.stderr).toBe(0);
    const { ctx } = imageContext({ runtime: 'pytorch', flavour: 'cuda', caBundlePath: ca });
    expect(readFileSync(out).equals(ctx.tar)).toBe(true);
    expect(r.stdout.startsWith(`${ctx.tag} `)).toBe(true);
    expect(ctx.tag).toBe(imageContext({ runtime: 'pytorch', flavour: 'cuda', caBundlePath: null }).ctx.tag);
  });

  it('images/build-context.sh gives the same tar, or the same files in a folder', async () => {
    const tar = join(dir, 'sh.tar');
    const folder = join(dir, 'sh-folder');
    const sh = (out: string) =>
      promisify(execFile)('bash', [join(packageRoot, 'images', 'build-context.sh'), 'onnxruntime', 'cpu', out], { env: { ...process.env, ...cleanEnv } });
    await sh(tar);
    const { ctx } = imageContext({ runtime: 'onnxruntime', flavour: 'cpu', caBundlePath: null });
    expect(readFileSync(tar).equals(ctx.tar)).toBe(true);
    await sh(folder);
    expect(filesUnder(folder).sort()).toEqual([...ctx.files].sort());
    expect(readFileSync(join(folder, 'runtime', 'greenrt_adapter.py'))).toEqual(readFileSync(join(packageRoot, 'images', 'onnxruntime', 'greenrt_adapter.py')));
  });

  it('a runtime without that flavour, or an unknown runtime: exit 2 naming the choices, nothing written', async () => {
    const out = join(dir, 'bad.tar');
    const flavour = await runCli(['images', 'context', 'pytorch', '--flavour', 'tensorrt', '--out', out], { env: cleanEnv });
    expect(flavour.code).toBe(2);
    expect(flavour.stderr).toContain('runtime "pytorch" has no tensorrt flavour; it has cpu, cuda');
    const runtime = await runCli(['images', 'context', 'caffe', '--out', out], { env: cleanEnv });
    expect(runtime.code).toBe(2);
    expect(runtime.stderr).toContain('unknown runtime "caffe"');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('bad.tar'))).toEqual([]);
  });
});
