import { describe, expect, it } from 'vitest';
import { demuxLogs, tailLines } from './docker-logs.js';

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
