import { describe, expect, it } from 'vitest';
import { summarizeTrials, type ClaimResult } from '../analysis/index.js';
import { fakeManifest, fakeModelRecord, fakeSourceStatus, fakeStudyResults, fakeTrialResult } from '../testing/trial-results.js';
import { REPORT_SECTIONS, renderReportHtml, renderReportMarkdown, type ReportInput } from './render-report.js';
import { inlineHtml, plain } from './report-document.js';

function headings(md: string, level: number): string[] {
  return md
    .split('\n')
    .filter((l) => l.startsWith(`${'#'.repeat(level)} `))
    .map((l) => l.slice(level + 1));
}

function section(md: string, title: string): string {
  const start = md.indexOf(`\n## ${title}\n`);
  const end = md.indexOf('\n## ', start + 4);
  return md.slice(start, end === -1 ? undefined : end);
}

const claim: ClaimResult = {
  id: 'mxnet-beats-pytorch',
  finding: 1,
  text: 'MXNet outperforms PyTorch at batch 1.',
  scope: 'reproduction',
  paperVersions: ['v1', 'v2'],
  source: 'Abstract',
  test: 'less',
  verdict: 'not reproduced',
  reason: '1 of 1 pairs fail (A < B)',
  numbers: {
    comparisons: [
      {
        a: 'mxnet/mxnet/resnet50/cuda/b1',
        b: 'pytorch/pytorch/resnet50/cuda/b1',
        metric: 'latencyMs',
        nA: 5,
        nB: 5,
        medianA: 4.6,
        medianB: 5.2,
        ratio: 0.885,
        u: 0,
        p: 0.009,
        pAdjusted: 0.009,
        cliffsDelta: -1,
        magnitude: 'large',
        status: 'fail',
        note: null,
      },
    ],
  },
  checks: [
    {
      label: 'GPU utilisation',
      role: 'mechanism',
      metric: 'gpuUtilizationPercent',
      test: 'notLess',
      why: null,
      verdict: 'not testable here',
      reason: 'no pair has gpuUtilizationPercent for both sides in this run: GPU utilisation unavailable',
      comparisons: [],
    },
  ],
};
const extension: ClaimResult = {
  id: 'onnx-bert-tf',
  finding: 5,
  text: 'ONNX beats TensorFlow on BERT.',
  scope: 'extension',
  paperVersions: ['v1'],
  source: 'Extension',
  test: 'less',
  verdict: 'inconclusive',
  reason: '1 of 1 pair lacks usable data: no trials',
  numbers: { comparisons: [] },
  checks: [],
};

function input(overrides: Partial<ReportInput> & { results?: ReportInput['results'] } = {}): ReportInput {
  const results = overrides.results ?? fakeStudyResults({ repetitions: 4 });
  return {
    manifest: fakeManifest([...results]),
    summary: summarizeTrials(results, { seed: 1, resamples: 200 }),
    results,
    claims: { file: 'experiments/paper.claims.yaml', results: [claim, extension] },
    plots: { files: [{ name: 'latency-resnet50', title: 'ResNet-50: latency per inference', png: true }], notes: [] },
    ...overrides,
  };
}

describe('renderReportMarkdown', () => {
  it('has every section in order, warnings before any result', () => {
    const md = renderReportMarkdown(input());
    expect(headings(md, 1)).toEqual(['greenrt report: fake']);
    expect(headings(md, 2)).toEqual([...REPORT_SECTIONS]);
    expect(headings(md, 3).slice(0, 2)).toEqual(['ResNet-50', 'MobileNetV2']);
  });

  it('shows per configuration median latency with CI, IQR, throughput, energy with CI and provenance', () => {
    const md = renderReportMarkdown(input());
    const row = md.split('\n').find((l) => l.startsWith('| onnxruntime(pytorch) | tensorrt | 64 |'))!;
    const cells = row.split(' | ');
    expect(cells[3]).toBe('4/4');
    expect(cells[4]).toMatch(/^8\d\.?\d* \[8\d\.?\d*, 8\d\.?\d*\]$/); // ~88 ms [CI]
    expect(cells[7]).toMatch(/^\d+\.?\d* \[\d+\.?\d*, \d+\.?\d*\]$/);
    expect(row.endsWith('| counter |')).toBe(true);
    expect(section(md, 'Warnings')).toContain('None: every planned trial ran');
  });

  it('lists the claims with verdict, reason and numbers, and links plots as SVG and PNG', () => {
    const md = renderReportMarkdown(input());
    const claims = section(md, 'Claims of the study');
    expect(claims).toContain(
      'reproduction **0 reproduced, 1 not reproduced, 0 inconclusive** of 1; extension **0 reproduced, 0 not reproduced, 1 inconclusive** of 1',
    );
    expect(claims).toContain(
      '| 1 | `mxnet-beats-pytorch` | MXNet outperforms PyTorch at batch 1. | v1, v2 | **not reproduced** | 1 of 1 pairs fail (A \\< B) |',
    );
    // Reproduction and extension claims in tables of their own, the reproduction first.
    const repro = claims.indexOf('### Reproduction: what the study stated');
    const ext = claims.indexOf('### Extension: what greenrt asks beyond the study');
    expect(repro).toBeGreaterThan(-1);
    expect(ext).toBeGreaterThan(repro);
    expect(claims.slice(ext)).toContain('| 5 | `onnx-bert-tf` | ONNX beats TensorFlow on BERT. | v1 only (first version) | inconclusive |');
    // A mechanism check without data says so, with the reason: never a silent pass.
    expect(claims).toContain(
      '| GPU utilisation | mechanism | `gpuUtilizationPercent` | notLess | not testable here | no pair has gpuUtilizationPercent for both sides in this run: GPU utilisation unavailable |',
    );
    expect(claims).toContain('| **fails** |');
    expect(section(md, 'Plots')).toContain('![ResNet-50: latency per inference](plots/latency-resnet50.svg)');
    expect(section(md, 'Plots')).toContain('[PNG](plots/latency-resnet50.png)');
    expect(section(md, 'How these numbers were obtained')).toContain('percentile bootstrap of the median, 95% confidence, 200 resamples');
  });

  it('warns about unavailable energy, failed and invalid trials, conversion, cool-down, missing GPU runtimes, few trials', () => {
    const results = [
      ...fakeStudyResults({ repetitions: 3, energy: 'unavailable', omit: ['tensorflow/resnet50/cuda/b1'] }),
      ...[1, 2, 3].map((r) =>
        fakeTrialResult({
          config: { runtime: 'tensorflow', model: 'resnet50', provider: 'cuda', batchSize: 1, repetition: r },
          status: 'failed',
          reasons: ['docker: could not select device driver "nvidia" with capabilities: [[gpu]]'],
          latencyMs: 1,
        }),
      ),
      fakeTrialResult({
        config: { runtime: 'pytorch', model: 'mobilenet_v2', provider: 'cuda', batchSize: 1, repetition: 9 },
        status: 'invalid',
        reasons: ['cool-down not met after 120 s'],
        cooldownMet: false,
        latencyMs: 3.4,
        energy: 'unavailable',
      }),
      fakeTrialResult({ config: { runtime: 'embedded', model: 'mobilenet_v2', provider: 'cpu', batchSize: 8 }, latencyMs: 40, energy: 'unavailable' }),
    ];
    const manifest = fakeManifest(results, {
      status: 'interrupted',
      statusReason: 'stopped by the user (SIGINT/SIGTERM)',
      power: { sources: [fakeSourceStatus({ source: 'rapl', available: false, reason: 'energy_uj is not readable', fix: 'Run as root.' })], baseline: null },
      models: [
        fakeModelRecord({
          model: 'resnet50',
          source: 'tensorflow',
          conversion: { maxAbsDiff: 0.02, tolerance: 0.001, argmaxAgreement: 0.97, withinTolerance: false },
        }),
      ],
      greenrt: { version: '0.1.0', gitCommit: 'abc', gitDirty: true },
    });
    manifest.plan.trialCount = results.length + 5;
    const md = renderReportMarkdown(input({ results, manifest, summary: summarizeTrials(results, { resamples: 100 }), claims: null }));
    const warnings = section(md, 'Warnings');
    expect(md.indexOf('## Warnings')).toBeLessThan(md.indexOf('## Results by model'));
    expect(warnings).toContain('The run is **interrupted** (stopped by the user (SIGINT/SIGTERM)): 5 of');
    expect(warnings).toContain('uncommitted changes');
    expect(warnings).toContain('Power source `rapl` is unavailable: energy_uj is not readable. Fix: Run as root.');
    expect(warnings).toContain('No idle baseline was measured');
    expect(warnings).toMatch(/Energy unavailable for 28 of 28 measured configurations: no power source available/);
    expect(warnings).toContain(
      '3 trial(s) failed: docker: could not select device driver "nvidia" with capabilities: \\[\\[gpu\\]\\] — `tensorflow/tensorflow/resnet50/cuda/b1`',
    );
    expect(warnings).toContain('1 trial(s) are **invalid**');
    expect(warnings).toContain(
      'ONNX conversion check out of tolerance for `resnet50 from tensorflow`: max |diff| 0.02 (tolerance 0.001), argmax agreement 97%',
    );
    expect(warnings).toContain('The cool-down gate was not met before 1 trial(s)');
    expect(warnings).toContain('1 of 28 GPU configuration(s) produced no ok trial: `tensorflow/tensorflow/resnet50/cuda/b1`');
    expect(warnings).toContain('1 configuration(s) have fewer than 3 ok trials');
    expect(md).toContain('| unavailable (see Warnings) |');
    expect(section(md, 'Claims of the study')).toContain('No claims file was given.');
  });

  it('shows GPU utilisation per configuration with its instrument, or why it was not sampled', () => {
    const plainRun = section(renderReportMarkdown(input()), 'Results by model');
    expect(plainRun).toContain('Not sampled in this run: not recorded by the greenrt that ran it.');
    const results = fakeStudyResults({ repetitions: 4 }).map((t, i) => ({
      ...t,
      gpuUtilization:
        i === 0
          ? {
              provenance: 'unavailable' as const,
              meanPercent: null,
              samples: 0,
              instrument: null,
              reason: 'gpu:0: no utilisation sample inside the 80 ms window (sampled at 10 Hz)',
            }
          : { provenance: 'sampled' as const, meanPercent: 50 + (i % 4), samples: 10, instrument: 'nvml' as const, reason: null },
    }));
    const md = section(
      renderReportMarkdown(input({ results, manifest: fakeManifest([...results]), summary: summarizeTrials(results, { resamples: 100 }) })),
      'Results by model',
    );
    expect(md).toContain('| Model | Runtime (source) | Provider | Batch | Trials sampled/ok | GPU utilisation %, median [range] | Instrument | Note |');
    expect(md).toMatch(
      /\| 3\/4 \| \d+(\.\d+)? \[\d+(\.\d+)?–\d+(\.\d+)?\] \| nvml \| 1 of 4 trials unavailable: gpu:0: no utilisation sample inside the 80 ms window \(sampled at 10 Hz\) \|/,
    );
  });

  it('says a power source reason once, in its warning; the trial reasons, the GPU utilisation note, claims and plot notes that quote it (whole or cut short) name that warning', () => {
    const nvml = 'libnvidia-ml.so.1 not found (libnvidia-ml.so.1: Failed to load shared library: cannot open shared object file: No such file or directory)';
    const trialReason = `No power source measured this window: nvml: ${nvml}`;
    const results = fakeStudyResults({ repetitions: 4 }).map((t) => ({
      ...t,
      energy: {
        ...t.energy,
        readings: [],
        totalEnergyJ: null,
        totalNetEnergyJ: null,
        totalProvenance: 'unavailable' as const,
        energyPerInferenceJ: null,
        reason: trialReason,
      },
      gpuUtilization: { provenance: 'unavailable' as const, meanPercent: null, instrument: null, samples: 0, reason: `no GPU source worked (nvml: ${nvml})` },
    }));
    const manifest = fakeManifest(results, {
      power: { sources: [fakeSourceStatus({ source: 'nvml', available: false, reason: nvml, fix: 'Install the NVIDIA driver.' })], baseline: null },
    });
    const cut = `${trialReason.slice(0, 90)}…`;
    const md = renderReportMarkdown(
      input({
        results,
        manifest,
        summary: summarizeTrials(results, { seed: 1, resamples: 100 }),
        plots: { files: [], notes: [`No energy box plot: no trial has a measured energy (${cut}).`] },
      }),
    );
    expect(md.split(plain(nvml)).length - 1).toBe(1);
    expect(section(md, 'Warnings')).toContain(`Power source \`nvml\` is unavailable: ${plain(nvml)}. Fix: Install the NVIDIA driver.`);
    expect(section(md, 'Warnings')).toContain('No power source measured this window: nvml: unavailable (reason under Warnings).');
    expect(section(md, 'Results by model')).toContain('Not sampled in this run: no GPU source worked (nvml: unavailable (reason under Warnings)).');
    expect(section(md, 'Plots')).toContain('(No power source measured this window: nvml: unavailable (reason under Warnings)).');
    expect(md).not.toContain('cannot open shared object file: No such file or directory)…');
  });

  it('reports a claims file that could not be evaluated', () => {
    const md = renderReportMarkdown(input({ claims: { file: 'x.claims.yaml', error: 'Claims file x.claims.yaml is not valid YAML' } }));
    expect(section(md, 'Claims of the study')).toContain('could not be evaluated: Claims file x.claims.yaml is not valid YAML');
  });
});

describe('renderReportHtml', () => {
  it('is one standalone page with the same sections, escaped data and inline images', () => {
    const html = renderReportHtml(input());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const s of REPORT_SECTIONS) expect(html).toContain(`>${s}</h2>`);
    expect(html).toContain('<img src="plots/latency-resnet50.svg"');
    expect(html).toContain('<td>1 of 1 pairs fail (A &lt; B)</td>');
    expect(html.match(/<table>/g)!.length).toBe(html.match(/<\/table>/g)!.length);
  });

  it('inline subset: code, bold, links, escapes', () => {
    expect(inlineHtml('**a** `b<c>` [d](e.svg) \\* <x>')).toBe('<strong>a</strong> <code>b&lt;c&gt;</code> <a href="e.svg">d</a> * &lt;x&gt;');
    expect(inlineHtml(plain('a_b _c_ [x](y) | *z*'))).toBe('a_b _c_ [x](y) | *z*');
  });
});

describe('the Execution modes section', () => {
  const modeTrials = (mode: 'keras-predict' | undefined, latencyMs: number, seed: number) =>
    Array.from({ length: 3 }, (_, i) =>
      fakeTrialResult({
        seed: seed + i,
        latencyMs,
        config: { runtime: 'tensorflow', model: 'resnet50', provider: 'cpu', batchSize: 1, repetition: i + 1, ...(mode ? { mode } : {}) },
      }),
    );

  it('shows per-mode latency with the ratio to the default mode, and the verdicts by mode', () => {
    const results = [...modeTrials(undefined, 10, 1), ...modeTrials('keras-predict', 50, 10)];
    const md = renderReportMarkdown(
      input({
        results,
        summary: summarizeTrials(results, { seed: 1, resamples: 100 }),
        modeClaims: {
          file: 'experiments/paper.claims.yaml',
          claims: [
            {
              id: 'tensorflow-outperformed',
              finding: 3,
              text: 'TensorFlow is outperformed.',
              frameworks: ['pytorch', 'tensorflow'],
              rows: [
                { modes: { pytorch: 'eager', tensorflow: 'function' }, defaults: true, verdict: 'not reproduced', reason: 'faster' },
                { modes: { pytorch: 'eager', tensorflow: 'keras-predict' }, defaults: false, verdict: 'reproduced', reason: 'slower' },
              ],
            },
          ],
        },
      }),
    );
    const modes = section(md, 'Execution modes');
    expect(modes).toContain('### ResNet-50: latency by mode');
    expect(modes).toMatch(/\| tensorflow \| `function` \(default\) graph function \| cpu \| 1 \| 3\/3 \| (9\.9|10\.0)\d* \[[^|]+\| ×1 \|/);
    expect(modes).toMatch(/\| tensorflow \| `keras-predict` Keras predict\(\) \| cpu \| 1 \| 3\/3 \| 5\d\.\d* \[[^|]+\| ×5\.\d* \|/);
    expect(modes).toContain('### Does the mode explain it?');
    expect(modes).toContain('the verdict **changes with the mode**');
    expect(modes).toMatch(/\| `eager` \(default\) \| `keras-predict` \| \*\*reproduced\*\* \| slower \|/);
    // Other tables label the non-default mode in the configuration.
    expect(section(md, 'Results by model')).toContain('tensorflow [keras-predict]');
  });

  it('says when no framework ran, or when the run has only default modes', () => {
    const onnxOnly = fakeStudyResults({ repetitions: 2 }).filter((t) => t.config.runtime === 'onnxruntime');
    expect(section(renderReportMarkdown(input({ results: onnxOnly, summary: summarizeTrials(onnxOnly, { resamples: 50 }) })), 'Execution modes')).toContain(
      'ONNX runtimes have no execution modes',
    );
    const md = renderReportMarkdown(input({ modeClaims: { file: 'c.yaml', claims: [] } }));
    expect(section(md, 'Execution modes')).toContain('in its default mode only');
    expect(section(md, 'Execution modes')).toContain('nothing to explain by mode');
  });
});

describe('Does the mode explain it? with the same inconclusive reason everywhere', () => {
  it('writes one line instead of a table of identical rows', () => {
    const rows = ['keras-predict', 'function'].map((m) => ({
      modes: { tensorflow: m },
      defaults: m === 'function',
      verdict: 'inconclusive' as const,
      reason: 'no trials for tensorflow/tensorflow/resnet50/cuda/b1 in this run',
    }));
    const md = renderReportMarkdown(
      input({ modeClaims: { file: 'c.yaml', claims: [{ id: 'tf-slow', finding: 3, text: 'TF is slow.', frameworks: ['tensorflow'], rows }] } }),
    );
    const modes = section(md, 'Execution modes');
    expect(modes).toContain(
      '(2 combination(s); the same verdict in every combination (inconclusive)). Reason, the same in each: no trials for tensorflow/tensorflow/resnet50/cuda/b1',
    );
    expect(modes).not.toContain('| tensorflow mode |');
  });
});
