/**
 * The lock files behind the images (images/<runtime>/): every flavour builds on the same Debian packages
 * and differs only in its wheels; every wheel is pinned with a hash; the CUDA wheels are exactly the ones
 * the frameworks need (the recipe: see images/README.md). No Docker needed: these are the files a build reads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../contracts/index.js';

const dir = (runtime: string) => join(packageRoot, 'images', runtime);
const read = (runtime: string, file: string) => readFileSync(join(dir(runtime), file), 'utf8');

/** "name==version" of a hashed pip lock, checking that every requirement carries a sha256. */
function pipLock(runtime: string, file: string): Map<string, string> {
  const pins = new Map<string, string>();
  const lines = read(runtime, file)
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('#'));
  const blocks = lines
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  for (const block of blocks) {
    const m = /^([a-z0-9][a-z0-9._-]*)==(\S+)\s+(.*)$/.exec(block.trim());
    expect(m, `${runtime}/${file}: ${block.slice(0, 80)}`).not.toBeNull();
    expect(m![3], `${runtime}/${file}: ${m![1]} has no hash`).toMatch(/--hash=sha256:[0-9a-f]{64}/);
    pins.set(m![1]!, m![2]!);
  }
  return pins;
}

const aptLock = (runtime: string, file: string) =>
  read(runtime, file)
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .sort();
const nvidia = (pins: Map<string, string>) => new Map([...pins].filter(([name]) => name.startsWith('nvidia-')));
const withoutNvidia = (pins: Map<string, string>, framework: [string, string]) =>
  new Map([...pins].filter(([name]) => !name.startsWith('nvidia-') && name !== framework[0] && name !== framework[1]));

describe('image lock files', () => {
  it('every pip lock pins every package with a sha256', () => {
    for (const runtime of ['pytorch', 'tensorflow', 'mxnet', 'onnxruntime']) {
      for (const flavour of ['cpu', 'cuda']) expect(pipLock(runtime, `requirements-${flavour}.lock`).size, `${runtime} ${flavour}`).toBeGreaterThan(0);
    }
  });

  it('TensorFlow and MXNet: the flavours share Debian packages and every wheel but the framework and its CUDA wheels', () => {
    for (const [runtime, frameworks] of [
      ['tensorflow', ['tensorflow-cpu', 'tensorflow']],
      ['mxnet', ['mxnet', 'mxnet-cu112']],
    ] as const) {
      expect(aptLock(runtime, 'apt-cuda.lock')).toEqual(aptLock(runtime, 'apt-cpu.lock'));
      const cpu = pipLock(runtime, 'requirements-cpu.lock');
      const cuda = pipLock(runtime, 'requirements-cuda.lock');
      expect(cpu.get(frameworks[0]), runtime).toBe(cuda.get(frameworks[1]));
      expect(withoutNvidia(cuda, [frameworks[0], frameworks[1]]), runtime).toEqual(withoutNvidia(cpu, [frameworks[0], frameworks[1]]));
      expect(nvidia(cpu).size, runtime).toBe(0);
    }
  });

  it('ONNX Runtime: one Debian lock for every flavour; the cuda wheels are onnxruntime-gpu and the CUDA stack PyTorch pins', () => {
    expect(existsSync(join(dir('onnxruntime'), 'apt-cuda.lock'))).toBe(false);
    const ort = pipLock('onnxruntime', 'requirements-cuda.lock');
    expect(ort.get('onnxruntime-gpu')).toBe(pipLock('onnxruntime', 'requirements-cpu.lock').get('onnxruntime'));
    const torch = nvidia(pipLock('pytorch', 'requirements-cuda.lock'));
    for (const [name, version] of nvidia(ort)) expect(`${name}==${version}`).toBe(`${name}==${torch.get(name)}`);
    expect([...nvidia(ort).keys()].sort()).toEqual([
      'nvidia-cublas-cu12',
      'nvidia-cuda-nvrtc-cu12',
      'nvidia-cuda-runtime-cu12',
      'nvidia-cudnn-cu12',
      'nvidia-cufft-cu12',
      'nvidia-curand-cu12',
      'nvidia-nvjitlink-cu12',
    ]);
  });

  it('PyTorch cuda: torch 2.6.0 with exactly the nvidia-*-cu12 wheels it pins (CUDA 12.4, cuDNN 9.1)', () => {
    const pins = pipLock('pytorch', 'requirements-cuda.lock');
    expect(pins.get('torch')).toBe('2.6.0');
    expect(pins.get('triton')).toBe('3.2.0');
    expect(Object.fromEntries(nvidia(pins))).toEqual({
      'nvidia-cublas-cu12': '12.4.5.8',
      'nvidia-cuda-cupti-cu12': '12.4.127',
      'nvidia-cuda-nvrtc-cu12': '12.4.127',
      'nvidia-cuda-runtime-cu12': '12.4.127',
      'nvidia-cudnn-cu12': '9.1.0.70',
      'nvidia-cufft-cu12': '11.2.1.3',
      'nvidia-curand-cu12': '10.3.5.147',
      'nvidia-cusolver-cu12': '11.6.1.9',
      'nvidia-cusparse-cu12': '12.3.1.170',
      'nvidia-cusparselt-cu12': '0.6.2',
      'nvidia-nccl-cu12': '2.21.5',
      'nvidia-nvjitlink-cu12': '12.4.127',
      'nvidia-nvtx-cu12': '12.4.127',
    });
  });

  it('MXNet cuda: a CUDA 11 wheel for each library libmxnet.so links by soname', () => {
    const pins = nvidia(pipLock('mxnet', 'requirements-cuda.lock'));
    // libcudart.so.11.0, libcublas(Lt).so.11, libcufft.so.10, libcusolver.so.11, libcurand.so.10, libnvrtc.so.11.2,
    // libnvToolsExt.so.1, libcudnn.so.8, libnccl.so.2 (DT_NEEDED of libmxnet.so; the image's check resolves them).
    expect([...pins.keys()].sort()).toEqual([
      'nvidia-cublas-cu11',
      'nvidia-cuda-nvrtc-cu11',
      'nvidia-cuda-runtime-cu11',
      'nvidia-cudnn-cu11',
      'nvidia-cufft-cu11',
      'nvidia-curand-cu11',
      'nvidia-cusolver-cu11',
      'nvidia-nccl-cu11',
      'nvidia-nvtx-cu11',
    ]);
    expect(pins.get('nvidia-cudnn-cu11')).toMatch(/^8\.9\./); // >= 8.6: knows Ada and Hopper
  });

  it('the TensorRT variant pins the TensorRT release onnxruntime-gpu 1.26.0 was built against (10.14), with its sources, and says why it has no hash', () => {
    const text = read('onnxruntime', 'requirements-tensorrt.in');
    expect(text).toMatch(/^tensorrt-cu12-libs==10\.14\.1\.48$/m);
    // The only pin line: the image check compares libnvinfer's version with the provider's, one release line.
    expect(text.split('\n').filter((l) => l.trim() && !l.startsWith('#'))).toEqual(['tensorrt-cu12-libs==10.14.1.48']);
    expect(text).toMatch(/0x18c19 = 101401 = 10\.14\.1/);
    expect(text).toMatch(/1\.24\.1's release notes/);
    expect(text).toMatch(/PyPI carries no TensorRT library/);
    // The ORT wheel the pin was derived for is the one the cuda lock installs.
    expect(read('onnxruntime', 'requirements-cuda.in')).toMatch(/^onnxruntime-gpu\[cuda,cudnn\]==1\.26\.0$/m);
  });
});
