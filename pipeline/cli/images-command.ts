import { type Command, Option } from 'commander';
import { escapeText, ExitCode, InputError } from '../core/index.js';
import { connectDocker } from '../docker/index.js';
import { resolve } from 'node:path';
import { Contracts } from '../contracts/index.js';
import {
  checkImage,
  buildImages,
  hostCaBundle,
  imageContext,
  listImages,
  loadImages,
  lockImages,
  saveImages,
  vendorImageInputs,
  type ImageFlavour,
  type ImageRuntime,
  type ImageTransfer,
} from '../images/index.js';
import { imageFlavours, imageRuntimeNames as runtimes } from '../catalogue/index.js';
import { writeFileAtomic } from '../results/index.js';
import { shellQuote } from '../core/index.js';
import { createProgress } from './progress.js';
import { choiceValue, choiceValues, imageValue, pathValue } from './references.js';

/** `data` written to standard output, resolved when it has been handed over (a closed pipe is an error, not a crash). */
function writeStdout(data: Uint8Array): Promise<void> {
  return new Promise((done, fail) => {
    process.stdout.once('error', fail);
    process.stdout.write(data, (error) => (error ? fail(error) : done()));
  });
}

/**
 * CA bundle for image builds (TLS-intercepting proxies): GREENRT_CA_BUNDLE (a path, or "none"), else the host's
 * trust store. Trusted by apt and pip during the install step only; neither in the image nor in its tag.
 */
export function caBundleFromEnv(): string | undefined {
  return hostCaBundle() ?? undefined;
}

/** Unknown runtime names on the command line: exit 2 naming them. */
function checkRuntimeNames(names: string[]): void {
  const unknown = names.filter((n) => !(runtimes as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new InputError(
      'Unknown runtime',
      unknown.map((n) => ({ file: 'command line', path: '', message: `unknown runtime "${n}"; must be one of ${runtimes.join(', ')}` })),
    );
  }
}

/** `greenrt images build|vendor|context|list|lock|check|save|load`. */
export function imagesCommand(program: Command, setExitCode: (code: number) => void): void {
  const images = program.command('images').description('Build, vendor, list, lock, check, save and load the runtime images (images/<runtime>/Dockerfile).');
  // `greenrt images` alone or with an unknown word: the usage on stderr and exit 2, as for `greenrt` alone.
  images.argument('[command]').action((word: string | undefined) => {
    if (word !== undefined) {
      throw new InputError('Bad command line', [
        { file: 'command line', path: '', message: `unknown images command "${word}"; the commands are ${images.commands.map((c) => c.name()).join(', ')}` },
      ]);
    }
    process.stderr.write(`${images.helpInformation()}\nGive a command, e.g. greenrt images build --flavour cuda\n`);
    setExitCode(ExitCode.badInput);
  });

  images
    .command('build')
    .description(
      'Build the runtime images (nothing is rebuilt when the tag for the current files exists). Every flavour builds on a local Debian base ' +
        'and hash-locked PyPI wheels: no registry image, no GPU needed. cuda images end with the no-GPU check (see images check). ' +
        "The tensorrt flavour (onnxruntime only) needs NVIDIA's package index (GREENRT_NVIDIA_INDEX names a mirror).",
    )
    .argument(
      '[runtimes...]',
      `runtimes to build (default: each of ${runtimes.join(', ')} that has the flavour)`,
      choiceValues('[runtimes...]', 'runtime', runtimes),
    )
    .addOption(
      new Option('--flavour <flavour>', 'cpu (any host), cuda (NVIDIA hosts), tensorrt (onnxruntime with TensorRT)')
        .choices(['cpu', 'cuda', 'tensorrt'])
        .default('cpu'),
    )
    .option('--no-describe', 'skip recording package lists from inside each image')
    .option(
      '--from <dir>',
      'build with no network from the folder `greenrt images vendor --out <dir>` wrote (a file: apt repository and pip --find-links; ' +
        'build network mode none). Same tag and image as the online build. Exit 3 when a locked file is missing (with the fix), ' +
        '4 when a file differs from its lock (naming it). The base image must be on the engine.',
      pathValue('--from'),
    )
    .action(async (names: string[], opts: { flavour: ImageFlavour; describe: boolean; from?: string }) => {
      checkRuntimeNames(names);
      const engine = await connectDocker();
      const progress = createProgress();
      const result = await buildNamed(engine, names, progress, {
        flavour: opts.flavour,
        describe: opts.describe,
        ...(opts.from !== undefined ? { from: resolve(opts.from) } : {}),
      });
      progress.done();
      for (const image of result.images) {
        process.stdout.write(
          `${image.tag}  ${image.built ? `built in ${(image.durationMs / 1000).toFixed(1)} s` : `up to date (${image.durationMs.toFixed(0)} ms)`}  ${(image.sizeBytes / 2 ** 20).toFixed(0)} MiB  ${image.imageId.slice(0, 19)}\n`,
        );
      }
      setExitCode(ExitCode.ok);
    });

  images
    .command('save')
    .description(
      'Write each image as a `docker save` archive plus a record (schemas/image-archive.schema.json: tag, config digest, layers, ' +
        "size, the archive's SHA-256, what it was built from, the engine that saved it) into a folder, for `images load` on another " +
        'host (docs/SCALING.md). Images the engine lacks are built first, as images build does. An archive already there with the ' +
        'same config digest is kept. Files are written atomically.',
    )
    .argument(
      '[runtimes...]',
      `runtimes to save (default: each of ${runtimes.join(', ')} that has the flavour)`,
      choiceValues('[runtimes...]', 'runtime', runtimes),
    )
    .addOption(new Option('--flavour <flavour>', 'cpu, cuda or tensorrt').choices(['cpu', 'cuda', 'tensorrt']).default('cpu'))
    .requiredOption('--out <dir>', 'folder for the archives and records (made when missing)', pathValue('--out'))
    .action(async (names: string[], opts: { flavour: ImageFlavour; out: string }) => {
      checkRuntimeNames(names);
      const engine = await connectDocker();
      const progress = createProgress();
      const caBundlePath = caBundleFromEnv();
      const built = await buildNamed(engine, names, progress, { flavour: opts.flavour, describe: false });
      const saved = await saveImages(
        engine,
        built.images.map((i) => i.tag),
        { contracts: new Contracts(), outDir: opts.out, ...(caBundlePath ? { caBundlePath } : {}), progress: (line) => progress.status(line) },
      );
      progress.done();
      printTransfers(saved.transfers);
      setExitCode(ExitCode.ok);
    });

  images
    .command('load')
    .description(
      'Load the images saved in a folder (`images save`) that this engine lacks, identified by config digest: each archive is ' +
        'checked against its record first (size, config digest, layers) and its SHA-256 while it streams to the engine. ' +
        "Exit 0 loaded or present, 4 an archive is not its record's image (nothing of it left tagged), 2 a damaged or missing record, 3 no Docker.",
    )
    .argument('<dir>', 'folder written by greenrt images save (a Slurm study keeps its own in <study>/images)', pathValue('<dir>'))
    .action(async (dir: string) => {
      const engine = await connectDocker();
      const progress = createProgress();
      const transfers = await loadImages(engine, dir, { contracts: new Contracts(), progress: (line) => progress.status(line) });
      progress.done();
      printTransfers(transfers);
      setExitCode(ExitCode.ok);
    });

  images
    .command('vendor')
    .description(
      'Download every pinned input of the images into one folder per image (<out>/<runtime>-<flavour>): each .deb the apt locks pin ' +
        "(apt-get download inside the image's base, so suite and architecture match), each wheel the pip locks pin (pip download " +
        '--require-hashes --no-deps), a flat apt index and vendor.json (schemas/vendored-inputs.schema.json). Every file is checked ' +
        "against the SHA-256 in its lock: exit 4 naming a file that differs. Needs Docker, Debian's mirror and PyPI; then " +
        '`greenrt images build --from <out>` needs neither. The tensorrt flavour cannot be vendored (unhashed pins).',
    )
    .argument('[runtimes...]', `runtimes (default: each of ${runtimes.join(', ')} that has the flavour)`, choiceValues('[runtimes...]', 'runtime', runtimes))
    .addOption(new Option('--flavour <flavour>', 'cpu or cuda').choices(['cpu', 'cuda']).default('cpu'))
    .option('--out <dir>', 'folder to write into (one sub-folder per image, replaced only once the new one passed its checks)', pathValue('--out'), 'vendor')
    .action(async (names: string[], opts: { flavour: ImageFlavour; out: string }) => {
      checkRuntimeNames(names);
      const chosen = (names.length > 0 ? names : runtimes.filter((r) => imageFlavours(r).includes(opts.flavour))) as ImageRuntime[];
      const without = chosen.filter((r) => !imageFlavours(r).includes(opts.flavour));
      if (without.length > 0) {
        throw new InputError(
          `No ${opts.flavour} flavour`,
          without.map((r) => ({
            file: 'command line',
            path: '',
            message: `runtime "${r}" has no ${opts.flavour} flavour; it has ${imageFlavours(r).join(', ')}`,
          })),
        );
      }
      const engine = await connectDocker();
      const progress = createProgress();
      const caBundlePath = caBundleFromEnv();
      for (const runtime of chosen) {
        const { folder, record } = await vendorImageInputs(engine, runtime, opts.flavour, resolve(opts.out), {
          ...(caBundlePath ? { caBundlePath } : {}),
          progress: (line) => progress.status(`${runtime}: ${line.trim().slice(0, 110)}`),
        });
        progress.done();
        process.stdout.write(
          `${folder}  ${record.debs.length} .deb, ${record.wheels.length} wheels, ${(record.totalBytes / 2 ** 20).toFixed(0)} MiB, checked against ${record.locks.length} locks in ${(record.durationMs / 1000).toFixed(1)} s\n`,
        );
      }
      setExitCode(ExitCode.ok);
    });

  images
    .command('context')
    .description(
      "Write one image's build context as a tar file: the bytes `images build` sends to the daemon (docs/ARCHITECTURE.md, " +
        '"Build contexts"), for `docker build` by hand. Prints the content-hash tag and the docker build command. ' +
        'GREENRT_NVIDIA_INDEX counts as for images build; the CA bundle (GREENRT_CA_BUNDLE, else the host trust store) is ' +
        'in the tar but not in the tag. No Docker needed.',
    )
    .argument('<runtime>', `one of ${runtimes.join(', ')}`, choiceValue('<runtime>', 'runtime', runtimes))
    .addOption(new Option('--flavour <flavour>', 'cpu, cuda or tensorrt (the runtime must have it)').choices(['cpu', 'cuda', 'tensorrt']).default('cpu'))
    .requiredOption(
      '--out <file>',
      'tar file to write (replaced atomically; only a regular file is replaced), or - for standard output (e.g. | docker build -)',
      pathValue('--out'),
    )
    .action(async (name: string, opts: { flavour: ImageFlavour; out: string }) => {
      if (!(runtimes as readonly string[]).includes(name)) {
        throw new InputError('Unknown runtime', [
          { file: 'command line', path: '', message: `unknown runtime "${name}"; must be one of ${runtimes.join(', ')}` },
        ]);
      }
      if (!imageFlavours(name).includes(opts.flavour)) {
        throw new InputError(`No ${opts.flavour} flavour`, [
          { file: 'command line', path: '', message: `runtime "${name}" has no ${opts.flavour} flavour; it has ${imageFlavours(name).join(', ')}` },
        ]);
      }
      const caBundlePath = caBundleFromEnv();
      const { ctx } = imageContext({ runtime: name as ImageRuntime, flavour: opts.flavour, ...(caBundlePath ? { caBundlePath } : {}) });
      const args = Object.entries(ctx.buildArgs)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `--build-arg ${k}=${v}`)
        .join(' ');
      if (opts.out === '-') {
        // The tar on standard output: the tag and the docker build command go to standard error.
        await writeStdout(ctx.tar);
        process.stderr.write(`${ctx.tag}  ${ctx.files.length} entries, ${(ctx.tar.length / 1024).toFixed(0)} KiB -> standard output
docker build -t ${ctx.tag} ${args} -
`);
        setExitCode(ExitCode.ok);
        return;
      }
      await writeFileAtomic(opts.out, ctx.tar);
      const shown = escapeText(opts.out, 300);
      process.stdout.write(`${ctx.tag}  ${ctx.files.length} entries, ${(ctx.tar.length / 1024).toFixed(0)} KiB -> ${shown}
`);
      process.stdout.write(`docker build -t ${ctx.tag} ${args} - < ${shellQuote(opts.out)}
`);
      process.stdout.write("(a by-hand build is the classic builder's intermediate; greenrt images build assembles the reproducible image)\n");
      setExitCode(ExitCode.ok);
    });

  images
    .command('list')
    .description('List greenrt images on this engine, marking those the current files would build.')
    .action(async () => {
      const engine = await connectDocker();
      const caBundlePath = caBundleFromEnv();
      const listed = await listImages(engine, caBundlePath ? { caBundlePath } : {});
      if (listed.length === 0) process.stdout.write('No greenrt images on this engine. Build them with: greenrt images build\n');
      for (const image of listed) {
        process.stdout.write(
          `${image.runtime}:${image.flavour}  ${image.tags.join(',')}  ${(image.sizeBytes / 2 ** 20).toFixed(0)} MiB  ${new Date(image.createdMs).toISOString()}  ${image.current ? 'current' : 'stale'}\n`,
        );
      }
      setExitCode(ExitCode.ok);
    });

  images
    .command('lock')
    .description('Record base image digests in images/images.lock.json (first build on a host) and check them afterwards.')
    .option('--check', 'only check; do not write the lock file')
    .action(async (opts: { check?: boolean }) => {
      const engine = await connectDocker();
      const result = await lockImages(engine, { write: !opts.check });
      for (const change of result.changes) process.stdout.write(`changed: ${change}\n`);
      for (const note of result.notes) process.stdout.write(`note: ${note}\n`);
      process.stdout.write(`${opts.check ? 'Checked' : 'Wrote'} ${result.lockPath}\n`);
      setExitCode(ExitCode.ok);
    });

  images
    .command('check')
    .description(
      "Check a cuda or tensorrt image without a GPU: every library of the framework and of its CUDA wheels resolves (the driver's " +
        'libcuda/libnvidia-ml aside, which the NVIDIA Container Toolkit mounts), the framework reports a CUDA build, and the GPU ' +
        'architectures it has kernels for. Exit 0 passed, 4 failed, 2 not such an image, 3 no Docker.',
    )
    .argument('<image>', 'image tag or id, e.g. greenrt/pytorch:cuda-<hash> (greenrt images list)', imageValue('<image>'))
    .option('--json', "print the check's record as JSON")
    .action(async (image: string, opts: { json?: boolean }) => {
      const engine = await connectDocker();
      const result = await checkImage(engine, image);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        // Everything below was printed by a script inside the image (and the labels come from it): shown escaped.
        const e = (v: unknown) => escapeText(String(v));
        const r = result.record;
        process.stdout.write(
          `${e(result.image)} (${e(result.runtime)}, ${e(result.flavour)}): ${result.ok ? 'PASSED' : 'FAILED'} in ${(result.durationMs / 1000).toFixed(1)} s\n`,
        );
        if (r) {
          process.stdout.write(`  CUDA ${e(r.cuda ?? 'unknown')}, cuDNN ${e(r.cudnn ?? 'unknown')}, ${e(r.librariesChecked)} libraries resolved with ldd\n`);
          process.stdout.write(`  kernels: ${r.archs.join(' ') || 'none found'} (${e(r.archSource ?? 'no source')})\n`);
          process.stdout.write(
            `  minimum driver: ${e(r.minDriver ?? 'unknown')}${r.minDriverPtxJit ? `; ${e(r.minDriverPtxJit)} to JIT its PTX on newer GPUs` : ''}\n`,
          );
          for (const [lib, why] of Object.entries(r.knownUnavailable ?? {})) process.stdout.write(`  not usable by design: ${e(lib)}: ${e(why)}\n`);
          const trt = r.tensorrt;
          if (trt) {
            const session = trt.session ? `; session without a GPU: ${e(trt.session.verdict)} (${e(trt.session.detail)})` : '';
            process.stdout.write(`  TensorRT provider: built against ${e(trt.builtAgainst ?? 'unknown')}, loads ${e(trt.loaded ?? 'none')}${session}\n`);
          }
        }
        for (const problem of result.problems) process.stdout.write(`  PROBLEM: ${e(problem)}\n`);
      }
      setExitCode(result.ok ? ExitCode.ok : ExitCode.trialsFailed);
    });
}

function printTransfers(transfers: ImageTransfer[]): void {
  for (const t of transfers) {
    const time = t.action === 'saved' || t.action === 'loaded' ? ` in ${(t.durationMs / 1000).toFixed(1)} s` : '';
    process.stdout.write(`${t.tag}  ${t.action}${time}  ${(t.archiveBytes / 2 ** 20).toFixed(0)} MiB  ${t.configDigest}  ${t.record}\n`);
  }
}

/** `images build` and `images save`: the named runtimes (default all with the flavour) built when missing, progress on one line. */
function buildNamed(
  engine: Awaited<ReturnType<typeof connectDocker>>,
  names: string[],
  progress: ReturnType<typeof createProgress>,
  options: Pick<Parameters<typeof buildImages>[1], 'flavour' | 'describe' | 'from'>,
) {
  const caBundlePath = caBundleFromEnv();
  return buildImages(engine, {
    ...options,
    ...(names.length > 0 ? { runtimes: names as ImageRuntime[] } : {}),
    ...(caBundlePath ? { caBundlePath } : {}),
    progress: (runtime, line) => {
      if (line.trim()) progress.status(`${runtime}: ${line.trim().slice(0, 110)}`);
    },
  });
}
