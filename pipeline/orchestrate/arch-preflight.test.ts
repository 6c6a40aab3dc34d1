import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../core/index.js';
import { archPreflight, buildListArchs, compareDriverVersions } from './arch-preflight.js';
import { gpuSettings } from '../testing/experiment-spec.js';
import { gpuDeviceIds, selectGpus } from './gpu-selection.js';

// FAKE image facts in the shape issue 10's image build records (ImageDescription.cuda).
const cuda = (runtime: string, archs: string[]) => ({
  runtime,
  flavour: 'cuda',
  description: { cuda: { runtime, cuda: '12.4', cudnn: '9.1', archs, archSource: 'fake', minDriver: '550' } },
});
const h200 = { index: 0, uuid: 'GPU-h200', name: 'NVIDIA H200', computeCapability: '9.0' };
const rtx3070 = { index: 1, uuid: 'GPU-3070', name: 'NVIDIA GeForce RTX 3070', computeCapability: '8.6' };

describe('archPreflight', () => {
  const images = [
    cuda('pytorch', ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'sm_86', 'sm_90']),
    cuda('tensorflow', ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'compute_80']),
    cuda('mxnet', ['sm_50', 'sm_60', 'sm_70', 'sm_80', 'sm_86']),
    { runtime: 'onnxruntime', flavour: 'cuda', description: null },
    { runtime: 'pytorch', flavour: 'cpu', description: null },
  ];

  it('on an H200: PyTorch native, TensorFlow PTX JIT with a run-scoped cache, MXNet refused, unknown archs said so', () => {
    const v = archPreflight(images, [h200]);
    expect(v.map((x) => [x.runtime, x.support, x.computeCacheDir])).toEqual([
      ['pytorch', 'native', null],
      ['tensorflow', 'ptx-jit', 'cache/cuda-compute'],
      ['mxnet', 'unsupported', null],
      ['onnxruntime', 'unknown', null],
    ]);
    expect(v[2]!.reason).toBe(
      'mxnet:cuda on gpu:0 NVIDIA H200: no kernels for cc 9.0: the image has sm_50, sm_60, sm_70, sm_80, sm_86 (SASS runs only on the same major with an equal or higher minor, and there is no PTX at or below 9.0)',
    );
  });

  it('on an RTX 3070 (the study GPU) MXNet runs natively; over two GPUs the worst verdict wins', () => {
    expect(archPreflight(images, [rtx3070]).find((x) => x.runtime === 'mxnet')!.support).toBe('native');
    expect(archPreflight(images, [rtx3070, h200]).find((x) => x.runtime === 'mxnet')!.support).toBe('unsupported');
  });
});

describe("TensorFlow's compute_XY and the host driver", () => {
  // TensorFlow 2.15's recorded build list, as its image check records it (tf.sysconfig).
  const tf = {
    runtime: 'tensorflow',
    flavour: 'cuda',
    description: {
      cuda: {
        archs: ['sm_50', 'sm_60', 'sm_70', 'sm_75', 'compute_80'],
        archSource: "tf.sysconfig.get_build_info()['cuda_compute_capabilities']",
        minDriver: '525.60.13',
        minDriverPtxJit: '535.54.03',
      },
    },
  };
  const a100 = { index: 2, uuid: 'GPU-a100', name: 'NVIDIA A100', computeCapability: '8.0' };

  it('reads compute_XY in the build list as sm_XY SASS plus compute_XY PTX: native on Ampere, PTX JIT on Hopper', () => {
    expect(buildListArchs(tf.description.cuda.archs, tf.description.cuda.archSource)).toEqual(['sm_50', 'sm_60', 'sm_70', 'sm_75', 'sm_80', 'compute_80']);
    expect(buildListArchs(['sm_90', 'compute_90'], 'fatbin of libonnxruntime_providers_cuda.so')).toEqual(['sm_90', 'compute_90']); // a fatbin's list is literal
    expect(archPreflight([tf], [rtx3070])[0]).toMatchObject({ support: 'native', computeCacheDir: null });
    expect(archPreflight([tf], [a100])[0]!.support).toBe('native');
    expect(archPreflight([tf], [h200])[0]).toMatchObject({ support: 'ptx-jit', computeCacheDir: 'cache/cuda-compute' });
  });

  it("refuses an image whose minimum driver is above the host's before any trial (unsupported, with the reason)", () => {
    const [jit] = archPreflight([tf], [h200], '530.30.02');
    expect(jit).toMatchObject({ support: 'unsupported', computeCacheDir: null });
    expect(jit!.reason).toBe(
      'tensorflow:cuda on gpu:0 NVIDIA H200: the host driver 530.30.02 is older than the 535.54.03 this image needs to JIT-compile its PTX (update the NVIDIA driver)',
    );
    expect(archPreflight([tf], [rtx3070], '520.61.05')[0]!.reason).toContain('older than the 525.60.13 this image needs for its CUDA runtime');
    expect(archPreflight([tf], [h200], '550.54.15')[0]!.support).toBe('ptx-jit');
    expect(archPreflight([tf], [h200], null)[0]!.support).toBe('ptx-jit'); // driver unknown: not checked
    expect([
      compareDriverVersions('550.54.15', '535.54.03'),
      compareDriverVersions('535.54.03', '535.54.03'),
      compareDriverVersions('999.99-fake', '550'),
    ]).toEqual([1, 0, 1]);
  });
});

describe('selectGpus', () => {
  const inventory = { gpus: [h200, rtx3070], via: 'nvml' as const, driverVersion: '550', reason: null };
  it('defaults to the first GPU; the others are context', () => {
    const s = selectGpus(gpuSettings({}).devices, inventory, true);
    expect(s.measured).toEqual([h200]);
    expect(s.context).toEqual([rtx3070]);
    expect(gpuDeviceIds(s)).toEqual(['GPU-h200']);
  });
  it('selects by index or UUID', () => {
    expect(selectGpus([1], inventory, true).measured).toEqual([rtx3070]);
    expect(selectGpus(['gpu-3070'], inventory, true).measured).toEqual([rtx3070]);
  });
  it('a GPU the host lacks is exit 3 with what the host has, when the run needs a GPU', () => {
    const error = (() => {
      try {
        selectGpus([3], inventory, true);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toContain('GPU 3 (experiment gpu.devices) is not on this host: it has 0 GPU-h200 NVIDIA H200; 1 GPU-3070');
    expect(selectGpus([3], { gpus: [], via: null, driverVersion: null, reason: 'no driver' }, false)).toEqual({ measured: [], context: [] });
  });
});
