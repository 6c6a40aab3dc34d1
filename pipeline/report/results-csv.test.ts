import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_NO_ENERGY_REASON, fakeStudyResults, fakeTrialResult } from '../testing/trial-results.js';
import { RESULTS_CSV_COLUMNS, csvField, renderResultsCsv } from './results-csv.js';
import { tempDir } from '../testing/temp-dir.js';

/** Strict RFC 4180 reader: fails on a stray quote, so the writer cannot get away with bad quoting. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`stray quote at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      [row, field] = [[], ''];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      if (field.startsWith('"')) throw new Error(`text after closing quote at ${i}`);
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

const tricky = fakeTrialResult({
  config: { runtime: 'tensorflow', model: 'bert_base_uncased', provider: 'cuda', batchSize: 64, repetition: 2 },
  status: 'failed',
  latencyMs: 1,
  orderIndex: 99,
  reasons: ['ResourceExhaustedError: OOM, when "allocating"\ntensor of shape [64,128,768]', 'second reason'],
});
const results = [
  ...fakeStudyResults({ repetitions: 2 }).slice(0, 6),
  tricky,
  fakeTrialResult({
    config: { runtime: 'embedded', model: 'mobilenet_v2', provider: 'cpu', batchSize: 8 },
    latencyMs: 40,
    energy: 'unavailable',
    orderIndex: 100,
  }),
];

describe('renderResultsCsv', () => {
  const csv = renderResultsCsv(results);
  const rows = parseCsv(csv);
  const header = rows[0]!;
  const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));

  it('is tidy: one header, one row per trial, the same number of fields in every row', () => {
    expect(header).toEqual(RESULTS_CSV_COLUMNS);
    expect(records).toHaveLength(results.length);
    for (const r of rows) expect(r).toHaveLength(header.length);
    expect(new Set(records.map((r) => r.trial_id)).size).toBe(results.length);
    expect(csv.endsWith('\n')).toBe(true);
  });

  it('puts units in column names', () => {
    for (const name of ['latency_median_ms', 'energy_per_inference_j', 'throughput_samples_per_s', 'measure_window_ms', 'gpu_energy_j']) {
      expect(header).toContain(name);
    }
    expect(header).toContain('energy_provenance');
    expect(header).toContain('energy_reason');
  });

  it('round-trips quoted reasons with commas, quotes and newlines', () => {
    const failed = records.find((r) => r.trial_id === tricky.trialId)!;
    expect(failed.reasons).toBe(tricky.reasons.join('; '));
    expect(failed.status).toBe('failed');
  });

  it('leaves unavailable values empty (never 0) and says why', () => {
    const failed = records.find((r) => r.trial_id === tricky.trialId)!;
    expect(failed.latency_median_ms).toBe('');
    expect(failed.energy_per_inference_j).toBe('');
    expect(failed.latency_count).toBe('0');
    const noEnergy = records.find((r) => r.runtime === 'embedded')!;
    expect(noEnergy.energy_per_inference_j).toBe('');
    expect(noEnergy.gpu_energy_j).toBe('');
    expect(noEnergy.energy_provenance).toBe('unavailable');
    expect(noEnergy.energy_reason).toBe(FAKE_NO_ENERGY_REASON);
    expect(Number(noEnergy.latency_median_ms)).toBeGreaterThan(30);
    // No GPU utilisation record: empty value, provenance unavailable and the reason.
    expect(noEnergy.gpu_utilization_percent).toBe('');
    expect(noEnergy.gpu_utilization_provenance).toBe('unavailable');
    expect(noEnergy.gpu_utilization_reason).toBe('not recorded (the trial result has no GPU utilisation record)');
  });

  it('has the GPU utilisation a trial sampled over its window, with provenance, or why not', () => {
    const sampled = {
      ...results[0]!,
      gpuUtilization: { provenance: 'sampled' as const, meanPercent: 61.5, samples: 42, instrument: 'nvml' as const, reason: null },
    };
    const unsupported = {
      ...results[1]!,
      gpuUtilization: {
        provenance: 'unavailable' as const,
        meanPercent: null,
        samples: 0,
        instrument: null,
        reason: 'gpu:0: nvml recorded no utilisation (not supported by the driver)',
      },
    };
    const [head, a, b] = parseCsv(renderResultsCsv([sampled, unsupported]));
    const rec = (r: string[]) => Object.fromEntries(head!.map((h, i) => [h, r[i]!]));
    expect(rec(a!)).toMatchObject({
      gpu_utilization_percent: '61.5',
      gpu_utilization_samples: '42',
      gpu_utilization_provenance: 'sampled',
      gpu_utilization_reason: '',
    });
    expect(rec(b!)).toMatchObject({
      gpu_utilization_percent: '',
      gpu_utilization_samples: '0',
      gpu_utilization_provenance: 'unavailable',
      gpu_utilization_reason: 'gpu:0: nvml recorded no utilisation (not supported by the driver)',
    });
  });

  it('writes numbers that parse back to the stored values and ISO timestamps', () => {
    const ok = records[0]!;
    const source = results.find((t) => t.trialId === ok.trial_id)!;
    expect(Number(ok.energy_per_inference_j)).toBe(source.energy.energyPerInferenceJ);
    expect(Number(ok.throughput_samples_per_s)).toBe(source.timing.throughputSamplesPerS);
    expect(Number(ok.gpu_energy_j) + Number(ok.cpu_energy_j)).toBeCloseTo(source.energy.totalEnergyJ!, 9);
    expect(ok.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(ok.cooldown_met).toBe('true');
  });

  it('quotes only what RFC 4180 requires', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' lead')).toBe('" lead"');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(false)).toBe('false');
  });

  it('reads in pandas without cleaning (skips when no python3 has pandas)', () => {
    const python = ['python3', '/usr/bin/python3'].find((p) => {
      try {
        execFileSync(p, ['-c', 'import pandas'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!python) {
      console.warn('SKIPPED pandas check: no python3 with pandas (apt-get install python3-pandas)');
      return;
    }
    const dir = tempDir('greenrt-csv-');
    writeFileSync(join(dir, 'results.csv'), csv);
    const out = execFileSync(
      python,
      [
        '-c',
        [
          'import json, sys, pandas as pd',
          `df = pd.read_csv(${JSON.stringify(join(dir, 'results.csv'))})`,
          'print(json.dumps({"rows": len(df), "cols": len(df.columns), "lat": str(df["latency_median_ms"].dtype),',
          ' "energy": str(df["energy_per_inference_j"].dtype), "batch": str(df["batch_size"].dtype), "cool": str(df["cooldown_met"].dtype),',
          ' "energyNa": int(df["energy_per_inference_j"].isna().sum()), "reasons": df["reasons"].dropna().tolist()}))',
        ].join('\n'),
      ],
      { encoding: 'utf8' },
    );
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(r).toMatchObject({
      rows: results.length,
      cols: RESULTS_CSV_COLUMNS.length,
      lat: 'float64',
      energy: 'float64',
      batch: 'int64',
      cool: 'bool',
      energyNa: 2,
    });
    expect(r.reasons).toEqual([tricky.reasons.join('; ')]);
  });
});
