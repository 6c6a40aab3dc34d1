import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentProgress } from '../core/index.js';
import { loadExperiment, type LoadedExperiment } from '../config/index.js';
import { Contracts } from '../contracts/index.js';
import { GreenrtError, sha256Hex, silentLogger } from '../core/index.js';
import type { ResolvedModel } from '../models/index.js';
import { planRun, type NeededImage } from '../plan/index.js';
import { fakeImageRecord } from '../testing/trial-results.js';
import type { FrameworkExecutor, ImageRecord } from './ports.js';
import { prepareInputs } from './prepare-inputs.js';
import { ImageBuildError } from '../images/index.js';
import { tempDir } from '../testing/temp-dir.js';

const tinyConv = fileURLToPath(new URL('../testing/fixtures/tiny-conv.onnx', import.meta.url));

/** FAKE executor: images of `broken` runtimes fail to build; prepareModel counts its calls. */
function fakeExecutor(broken: string[], buildError?: (runtime: string) => Error): FrameworkExecutor & { prepared: number } {
  const executor = {
    kind: 'docker' as const,
    prepared: 0,
    attach: () => undefined,
    ensureImages: async (images: NeededImage[]): Promise<ImageRecord[]> =>
      images.map((i) => {
        if (broken.includes(i.runtime) && buildError) throw buildError(i.runtime);
        if (broken.includes(i.runtime)) throw new GreenrtError('E_IMAGE_BUILD', `Image build failed (greenrt/${i.runtime}): exit 7`);
        return fakeImageRecord({ runtime: i.runtime, flavour: i.flavour, tag: `fake/${i.runtime}` });
      }),
    prepareModel: async (need: { model: string; source: string }): Promise<ResolvedModel> => {
      executor.prepared++;
      return {
        model: need.model,
        source: need.source,
        dir: '/prepared',
        onnxFile: '/prepared/model.onnx',
        sha256: '0',
        prebuilt: false,
        cacheHit: false,
        conversion: null,
        conversionNote: null,
        prepared: null,
      } as unknown as ResolvedModel;
    },
    runTrial: async () => {
      throw new Error('not used');
    },
    removeOrphans: async () => 0,
    describeEngine: async () => null,
  };
  return executor as unknown as FrameworkExecutor & { prepared: number };
}

describe('prepareInputs: models per source, model and format', () => {
  let dir: string;
  const contracts = new Contracts();
  const experiment = (prebuilt: boolean): Promise<LoadedExperiment> => {
    const lines = [
      'schemaVersion: 1',
      'name: prep',
      'runtimes:',
      '  - name: onnxruntime',
      '    providers: [cpu]',
      '    sources: [pytorch]',
      '  - name: pytorch',
      '    providers: [cpu]',
      'models: [resnet50]',
      'batchSizes: [1]',
      'repetitions: 1',
      'warmupIterations: 1',
      'measuredIterations: 2',
    ];
    if (prebuilt)
      lines.push(
        'prebuiltModels:',
        '  - model: resnet50',
        '    source: pytorch',
        '    path: tiny-conv.onnx',
        `    sha256: "${sha256Hex(readFileSync(tinyConv))}"`,
      );
    const file = join(dir, `prep-${prebuilt}.yaml`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return loadExperiment(file, contracts);
  };

  beforeAll(() => {
    dir = tempDir('greenrt-prepare-inputs-');
    copyFileSync(tinyConv, join(dir, 'tiny-conv.onnx'));
  });

  it('a supplied ONNX file serves the ONNX trials even when the native model cannot be prepared', async () => {
    const loaded = await experiment(true);
    const executor = fakeExecutor(['pytorch']);
    const setup = await prepareInputs(planRun(loaded.spec), loaded, executor, silentProgress, silentLogger, new AbortController().signal);
    expect(setup.models.get('pytorch/resnet50/onnx')?.onnxFile).toBe(join(dir, 'tiny-conv.onnx'));
    expect(setup.models.has('pytorch/resnet50/native')).toBe(false);
    const reason = setup.modelErrors.get('pytorch/resnet50/native')!;
    expect(reason).toBe('model pytorch/resnet50 could not be prepared: image pytorch:cpu could not be built: Image build failed (greenrt/pytorch): exit 7');
    expect(setup.modelErrors.has('pytorch/resnet50/onnx')).toBe(false);
    expect(setup.modelRecords).toHaveLength(2);
    expect(executor.prepared).toBe(0);
  });

  it('without a supplied file, one preparation serves the native and the ONNX trials', async () => {
    const loaded = await experiment(false);
    const executor = fakeExecutor([]);
    const setup = await prepareInputs(planRun(loaded.spec), loaded, executor, silentProgress, silentLogger, new AbortController().signal);
    expect(executor.prepared).toBe(1);
    expect(setup.models.get('pytorch/resnet50/native')).toBe(setup.models.get('pytorch/resnet50/onnx'));
    expect(setup.modelRecords).toHaveLength(1);
  });

  it('a failed image build is one line with its cause, and its whole log is kept once in the run folder', async () => {
    const loaded = await experiment(false);
    // Build output in pip's words behind a TLS-intercepting proxy (written for this test, not recorded from a build).
    const log = [
      'Step 7/12 : RUN pip install --require-hashes -r /tmp/requirements.lock',
      ' ---> Running in 0123456789ab',
      "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)'))': /simple/torch/",
      ...Array.from({ length: 200 }, (_, i) => `  progress line ${i}`),
      'ERROR: Could not find a version that satisfies the requirement torch==2.5.1 (from versions: none)',
    ];
    const detail = "The command '/bin/sh -c pip install --require-hashes -r /tmp/requirements.lock' returned a non-zero code: 1";
    const executor = fakeExecutor(['pytorch'], () => new ImageBuildError('greenrt/pytorch:cpu-abc', detail, log.slice(-30), undefined, log));
    const kept = new Map<string, string>();
    const keep = async (path: string, text: string) => {
      kept.set(path, text);
      return path;
    };
    const setup = await prepareInputs(planRun(loaded.spec), loaded, executor, silentProgress, silentLogger, new AbortController().signal, keep);
    const line = setup.imageErrors.get('pytorch:cpu')!;
    expect(line).toBe(
      "image pytorch:cpu could not be built: pip or apt could not verify the package index's certificate: behind a TLS-intercepting proxy? Set GREENRT_CA_BUNDLE to the proxy's CA bundle (a PEM file) and build again (build log: logs/image-build-pytorch-cpu.log)",
    );
    expect(line).not.toContain('RUN');
    expect([...kept.keys()]).toEqual(['logs/image-build-pytorch-cpu.log']);
    expect(kept.get('logs/image-build-pytorch-cpu.log')).toContain('progress line 0\n');
    expect(kept.get('logs/image-build-pytorch-cpu.log')).toContain(detail);
    // The model that needed the image points to the same line instead of repeating the build output.
    expect(setup.modelErrors.get('pytorch/resnet50/native')).toBe(`model pytorch/resnet50 could not be prepared: ${line}`);
  });
});
