import { describe, expect, it } from 'vitest';
import { fakeStudyResults, fakeTrialResult } from '../testing/trial-results.js';
import { findPlotFonts, renderPng } from './render-png.js';
import { renderPlots } from './render-plots.js';
import { linearScale, logScale, niceTicks } from './svg.js';

/** Well-formed XML check without a parser: balanced tags, escaped text, one root. */
function assertWellFormedSvg(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let roots = 0;
  for (const m of svg.matchAll(tag)) {
    const between = svg.slice(last, m.index);
    expect(between, `raw markup before ${m[0]}`).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|#39);)/);
    last = m.index + m[0].length;
    const [, close, name, , selfClose] = m;
    if (close) expect(stack.pop(), `closing ${name}`).toBe(name);
    else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(svg.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]* width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

describe('renderPlots', () => {
  const results = fakeStudyResults({ repetitions: 4 });
  const set = renderPlots(results);

  it('draws latency and energy box plots per model, the scatter and the energy shares', () => {
    expect(set.plots.map((p) => p.name)).toEqual([
      'latency-resnet50',
      'energy-resnet50',
      'latency-mobilenet_v2',
      'energy-mobilenet_v2',
      'energy-vs-latency',
      'energy-share',
    ]);
    expect(set.notes).toEqual([]);
  });

  it('writes well-formed SVG with axis labels in units and every configuration labelled', () => {
    for (const p of set.plots) assertWellFormedSvg(p.svg);
    const latency = set.plots.find((p) => p.name === 'latency-resnet50')!.svg;
    expect(latency).toContain('latency per inference (ms)');
    expect(latency).toContain('onnxruntime(pytorch) / tensorrt');
    expect(latency).toContain('batch size 64');
    expect(set.plots.find((p) => p.name === 'energy-vs-latency')!.svg).toContain('energy per inference (J)');
    expect(set.plots.find((p) => p.name === 'energy-share')!.svg).toContain('CPU package');
    // One dot per ok trial in the latency box plot (4 reps x 7 configurations x 2 batches).
    expect(latency.match(/<circle /g)!.length).toBe(4 * 7 * 2);
  });

  it('escapes text that would break the XML', () => {
    const odd = fakeStudyResults({ repetitions: 2 });
    const missing = fakeStudyResults({ repetitions: 2, energy: 'unavailable' });
    odd.forEach((t, i) => {
      if (t.config.runtime === 'pytorch') t.energy = { ...missing[i]!.energy, reason: 'rapl <unreadable> & "odd"' };
    });
    const energy = renderPlots(odd).plots.find((p) => p.name === 'energy-resnet50')!.svg;
    expect(energy).toContain('energy unavailable: rapl &lt;unreadable&gt; &amp; &quot;odd&quot;');
    for (const p of renderPlots(odd).plots) assertWellFormedSvg(p.svg);
  });

  it('without energy keeps the latency plots and says why the energy plots are missing', () => {
    const none = renderPlots(fakeStudyResults({ repetitions: 2, energy: 'unavailable' }));
    expect(none.plots.map((p) => p.name)).toEqual(['latency-resnet50', 'latency-mobilenet_v2']);
    // One note per distinct reason, naming every plot it stops (the demo report repeated the same NVML error per plot).
    expect(none.notes).toHaveLength(1);
    expect(none.notes[0]).toMatch(
      /^No energy box plot for ResNet-50, energy box plot for MobileNetV2, energy vs latency scatter or GPU\/CPU energy share plot: no trial has a measured energy, and no trial has per-domain energy readings \(.*rapl.*\)\.$/,
    );
    const reason = /\((.*)\)\.$/.exec(none.notes[0]!)![1]!;
    expect(none.notes.join('\n').split(reason)).toHaveLength(2);
  });

  it('skips a model without ok trials instead of drawing empty axes', () => {
    const failed = fakeTrialResult({
      config: { runtime: 'tensorflow', model: 'bert_base_uncased', provider: 'cuda', batchSize: 64 },
      status: 'failed',
      reasons: ['OOM'],
      latencyMs: 1,
    });
    const withBert = renderPlots([...fakeStudyResults({ repetitions: 2 }), failed]);
    expect(withBert.plots.map((p) => p.name)).not.toContain('latency-bert_base_uncased');
    expect(withBert.notes).toEqual(['No plots for BERT-base-uncased: none of its 1 configuration(s) has an ok trial.']);
  });

  it('renders PNGs at twice the SVG size with the system font, and without one', () => {
    const fonts = findPlotFonts();
    for (const p of set.plots) {
      const png = renderPng(p.svg, { fontFiles: fonts });
      const want = svgSize(p.svg);
      expect(pngSize(png)).toEqual({ width: Math.round(want.width * 2), height: Math.round(want.height * 2) });
      expect(png.length).toBeGreaterThan(5000);
    }
    const bare = renderPng(set.plots[0]!.svg, { fontFiles: [], zoom: 1 });
    expect(pngSize(bare).width).toBe(Math.round(svgSize(set.plots[0]!.svg).width));
    if (fonts.length > 0) {
      // Text adds ink: the PNG with a font is larger than the one without.
      expect(renderPng(set.plots[0]!.svg, { fontFiles: fonts, zoom: 1 }).length).toBeGreaterThan(bare.length);
    } else {
      console.warn('SKIPPED font comparison: no DejaVu Sans (apt-get install fonts-dejavu-core)');
    }
  });
});

describe('scales', () => {
  it('chooses 1-2-5 ticks that cover the data', () => {
    expect(niceTicks(0, 27.3, 5)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(3.02, 3.31, 5)).toEqual([3, 3.1, 3.2, 3.3, 3.4]);
    const s = linearScale(5, 5, 0, 100);
    expect(s.ticks.length).toBeGreaterThanOrEqual(2);
    expect(Number.isFinite(s(5))).toBe(true);
  });

  it('log scale spans whole decades', () => {
    const s = logScale(1.6, 150, 0, 300);
    expect(s.ticks[0]).toBe(1);
    expect(s.ticks.at(-1)).toBe(1000);
    expect(s(10)).toBeCloseTo(100);
  });
});
