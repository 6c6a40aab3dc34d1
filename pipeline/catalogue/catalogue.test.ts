import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Contracts, SchemaId, packageRoot } from '../contracts/index.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { driftedFiles, loadCatalogue } from '../../scripts/gen-catalogue.mjs';
import {
  allModes,
  catalogueData,
  catalogueDebianPackages,
  defaultMode,
  imageFlavours,
  imageRuntimeNames,
  isOnnxRuntime,
  modeRefusal,
  runtimeModes,
  runtimeNames,
  runtimesWithProvider,
  trialSpecRuntime,
} from './index.js';

describe('catalogue', () => {
  it('validates against schemas/catalogue.schema.json', () => {
    expect(new Contracts().check(SchemaId.catalogue, loadCatalogue(packageRoot))).toEqual([]);
  });

  it('has no copy that disagrees with catalogue.json (schema enums, catalogue.gen.ts, catalogue_gen.py)', () => {
    expect(driftedFiles(packageRoot)).toEqual([]);
  });

  it('names only known providers, and image flavours among them', () => {
    const providers = new Set(catalogueData.providers.map((p) => p.name));
    for (const r of catalogueData.runtimes) {
      for (const p of r.providers) expect(providers.has(p), `${r.name}: provider ${p}`).toBe(true);
      for (const f of r.imageFlavours) expect(providers.has(f), `${r.name}: flavour ${f}`).toBe(true);
    }
    expect(new Set(runtimeNames).size).toBe(runtimeNames.length);
  });

  it('has an images/<runtime>/ folder with Dockerfile, adapter, lock and tests for every image runtime, and no other', () => {
    for (const runtime of imageRuntimeNames) {
      const dir = join(packageRoot, 'images', runtime);
      for (const f of ['Dockerfile', 'greenrt_adapter.py', 'requirements-cpu.lock', 'tests'])
        expect(existsSync(join(dir, f)), `images/${runtime}/${f}`).toBe(true);
      expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain(`dev.greenrt.runtime="${runtime}"`);
    }
  });

  it('answers the rules the plan relies on', () => {
    expect(isOnnxRuntime('onnxruntime')).toBe(true);
    expect(isOnnxRuntime('embedded')).toBe(true);
    expect(isOnnxRuntime('pytorch')).toBe(false);
    expect(runtimesWithProvider('tensorrt')).toEqual(['onnxruntime']);
    expect(imageRuntimeNames).not.toContain('embedded');
  });

  it('gives every framework runtime modes with exactly one default, no ONNX runtime any, and mode names unique', () => {
    for (const r of catalogueData.runtimes) {
      const modes = runtimeModes(r.name);
      if (r.kind === 'onnx') {
        expect(modes, r.name).toEqual([]);
        continue;
      }
      expect(modes.length, r.name).toBeGreaterThan(1);
      const entry = r as { modes?: readonly { default?: boolean; refused?: Record<string, string> }[] };
      expect(entry.modes?.filter((m) => m.default).length, `${r.name}: defaults`).toBe(1);
      expect(modeRefusal(r.name, defaultMode(r.name)!, 'cpu'), `${r.name}: the default mode runs everywhere`).toBeNull();
      for (const m of entry.modes ?? [])
        for (const flavour of Object.keys(m.refused ?? {})) expect(imageFlavours(r.name), `${r.name}: refused on ${flavour}`).toContain(flavour);
    }
    const names = allModes().map((m) => m.mode);
    expect(new Set(names).size).toBe(names.length);
    expect(defaultMode('pytorch')).toBe('eager');
    expect(defaultMode('tensorflow')).toBe('function');
    expect(defaultMode('mxnet')).toBe('hybridized');
    expect(defaultMode('onnxruntime')).toBeNull();
  });

  it('holds the facts that used to be names in code: trial-spec runtime, no-GPU check, Debian packages', () => {
    expect(trialSpecRuntime('embedded')).toBe('onnxruntime');
    expect(trialSpecRuntime('pytorch')).toBe('pytorch');
    for (const r of catalogueData.runtimes) {
      const entry = r as { specRuntime?: string; cudaCheck?: unknown };
      // specRuntime: only an in-process runtime has one, and it names a runtime with an image (the trial spec's enum).
      if (entry.specRuntime !== undefined) {
        expect(r.imageFlavours, `${r.name}: specRuntime`).toEqual([]);
        expect(imageRuntimeNames as readonly string[], `${r.name}: specRuntime`).toContain(entry.specRuntime);
      }
      // Every GPU flavour has a no-GPU check: the catalogue's facts and the image's API check.
      const gpu = (r.imageFlavours as readonly string[]).some((f) => f !== 'cpu');
      expect(entry.cudaCheck !== undefined, `${r.name}: cudaCheck`).toBe(gpu);
      if (gpu) expect(existsSync(join(packageRoot, 'images', r.name, 'greenrt_cuda_check.py')), `images/${r.name}/greenrt_cuda_check.py`).toBe(true);
    }
    expect(catalogueDebianPackages()).toEqual(expect.arrayContaining(['python3-torch', 'libcudnn*', 'libnvinfer*']));
  });

  it('pins the pretrained weights of every model for every framework: a digest per file, a Hub revision, the fix when gone', () => {
    const frameworks = catalogueData.runtimes.filter((r) => r.kind === 'framework').map((r) => r.name);
    const unpinned: string[] = [];
    for (const m of catalogueData.models) {
      const pins = (m as { pretrained?: Record<string, { source: string; revision: string | null; files: Record<string, unknown>[] }> }).pretrained ?? {};
      expect(Object.keys(pins).sort(), m.name).toEqual([...frameworks].sort());
      for (const [framework, pin] of Object.entries(pins)) {
        if (pin.source === 'huggingface') expect(pin.revision, `${framework}/${m.name}`).toMatch(/^[0-9a-f]{40}$/);
        for (const file of pin.files) {
          if (!['sha256', 'sha256Prefix', 'sha1', 'md5'].some((d) => typeof file[d] === 'string')) unpinned.push(`${framework}/${m.name}/${String(file.name)}`);
        }
      }
    }
    // The one file no source publishes a digest for (Keras' MobileNetV2 weights): preparation prints its sha256 to
    // record. A new entry here needs a reason in docs/RELIABILITY.md ("Pretrained weights").
    expect(unpinned).toEqual(['tensorflow/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5']);
  });
});
