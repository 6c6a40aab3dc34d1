import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

/** A stand-in for process.stderr: what was written, and the width the terminal reports. */
function fakeTerminal(columns: number | undefined) {
  const out: string[] = [];
  const stream = { columns, isTTY: true, write: (s: string) => void out.push(s) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => out.join('') };
}

describe('progress display', () => {
  it('a terminal that reports 0 columns gets whole status lines, not empty ones', () => {
    const t = fakeTerminal(0);
    createProgress(t.stream, true).status('[1/4] embedded.pytorch.resnet50.cpu.b1.r1 (3 s elapsed)');
    expect(t.text()).toContain('[1/4] embedded.pytorch.resnet50.cpu.b1.r1 (3 s elapsed)');
  });

  it('a narrow terminal (30 columns) gets the line cut to 29 characters', () => {
    const t = fakeTerminal(30);
    createProgress(t.stream, true).status('x'.repeat(100));
    expect(t.text()).toBe(`\r\x1b[2K${'x'.repeat(29)}`);
  });

  it('TERM=dumb: plain lines, no escape sequence', () => {
    const saved = process.env.TERM;
    process.env.TERM = 'dumb';
    try {
      const t = fakeTerminal(80);
      const p = createProgress(t.stream);
      p.status('Measuring the idle baseline');
      p.info('trial a: failed (timed out)');
      p.done();
      expect(t.text()).toBe('Measuring the idle baseline\ntrial a: failed (timed out)\n');
    } finally {
      if (saved === undefined) delete process.env.TERM;
      else process.env.TERM = saved;
    }
  });

  it('text from trial results is escaped before it reaches the terminal', () => {
    const t = fakeTerminal(80);
    createProgress(t.stream, false).info('trial a: failed (\x1b[2Jgone\rX)');
    expect(t.text()).toBe('trial a: failed (\\x1b[2Jgone\\rX)\n');
  });
});
