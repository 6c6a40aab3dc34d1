import { describe, expect, it } from 'vitest';
import { parseCudaRecord, summarizeDpkg } from './describe-image.js';

describe('summarizeDpkg', () => {
  it('counts, hashes order-independently and keeps the packages that matter', () => {
    const a = summarizeDpkg('zlib1g\t1:1.2.13\npython3\t3.11.2-1+b1\nlibc6\t2.36-9\npython3-numpy\t1:1.24.2-1\n');
    const b = summarizeDpkg('libc6\t2.36-9\npython3-numpy\t1:1.24.2-1\nzlib1g\t1:1.2.13\npython3\t3.11.2-1+b1\n');
    expect(a.count).toBe(4);
    expect(a.sha256).toBe(b.sha256);
    expect(a.selected).toEqual({ libc6: '2.36-9', python3: '3.11.2-1+b1', 'python3-numpy': '1:1.24.2-1' });
  });
});

describe('parseCudaRecord', () => {
  const record = {
    runtime: 'tensorflow',
    flavour: 'cuda',
    cuda: '12.2',
    cudnn: '8',
    archs: ['sm_75', 'compute_80'],
    archSource: 'api',
    minDriver: '525.60.13',
    knownUnavailable: {},
    librariesChecked: 29,
    problems: [],
    ok: true,
  };
  it('reads the record an image build wrote', () => {
    expect(parseCudaRecord(JSON.stringify(record))).toEqual(record);
  });
  it('returns null for what is not such a record, rather than trusting it', () => {
    expect(parseCudaRecord('cat: /opt/greenrt/packages/cuda.json: No such file or directory')).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, archs: ['sm_80; rm -rf /'] }))).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, ok: 'yes' }))).toBeNull();
    expect(parseCudaRecord('[]')).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, problems: 'none' }))).toBeNull();
    expect(parseCudaRecord(JSON.stringify({ ...record, knownUnavailable: null }))).toBeNull();
  });
});
