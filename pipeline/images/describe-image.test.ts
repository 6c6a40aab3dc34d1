import { describe, expect, it } from 'vitest';
import { parseCudaRecord, summarizeDpkg } from './describe-image.js';
import { demuxLogs, tailLines } from './docker-logs.js';

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

describe('demuxLogs', () => {
  const frame = (kind: number, text: string) => {
    const body = Buffer.from(text);
    const head = Buffer.alloc(8);
    head[0] = kind;
    head.writeUInt32BE(body.length, 4);
    return Buffer.concat([head, body]);
  };
  it('splits stdout and stderr and keeps their order in combined', () => {
    const logs = demuxLogs(Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'out2\n')]));
    expect(logs.stdout).toBe('out1\nout2\n');
    expect(logs.stderr).toBe('err1\n');
    expect(logs.combined).toBe('out1\nerr1\nout2\n');
    expect(tailLines(logs.combined, 2)).toBe('err1\nout2');
  });
  it('passes TTY output through', () => {
    expect(demuxLogs(Buffer.from('hello tty\n')).stdout).toBe('hello tty\n');
  });
});
