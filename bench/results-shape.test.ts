import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Checks the committed bench/results/latest.json (written by `make bench`): every key issue 7 asks
// for is there, is a ratio (a finite number, no units), and agrees with the section it came from.
// No timing happens here: the figures themselves are judged in docs/PERFORMANCE.md.
const file = fileURLToPath(new URL('./results/latest.json', import.meta.url));
/** The parts of latest.json this test reads (bench/run.mjs writes it; other keys are ratios). */
interface BenchResults {
  [ratio: string]: unknown;
  targets: Record<string, { op: string; value: number }>;
  startToFirstInferenceMs: Record<string, number>;
  cachedImageRebuilt: boolean;
  cachedImageBuildSPerImage: number;
  scalingRunWallS: Record<string, number>;
  sections: {
    harness: { models: Record<string, { ratio: number }> };
    ort: {
      byThreads: Record<
        string,
        { ratio: number; sameLibraryRatio: number; npmBuildVsImageBuild: number; perRoundRatios: number[]; sameLibraryPerRoundRatios: number[] }
      >;
      libraries: Record<'image' | 'npm', { file: string; sha256: string }>;
    };
    orchestration: { cli: { orchestrationOverheadRatio: number } };
  } & Record<string, { error?: string }>;
  quick: boolean;
  machine: { logicalCpus: number; cpuModel: string };
}
const doc = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;

const requiredRatios = [
  'harnessOverheadRatio',
  'embeddedVsPythonOrtRatio',
  'embeddedSameLibraryVsPythonOrtRatio',
  'monitorCpuShare10Hz',
  'monitorCpuShare100Hz',
  'monitorAchievedRateRatio10Hz',
  'monitorAchievedRateRatio100Hz',
  'orchestrationOverheadRatio',
];

describe('bench/results/latest.json', () => {
  it('holds every required ratio as a finite number', () => {
    for (const key of requiredRatios) {
      expect(typeof doc[key], key).toBe('number');
      expect(Number.isFinite(doc[key]), key).toBe(true);
      expect(doc[key], key).toBeGreaterThan(0);
    }
  });

  it('states a target for each targeted key, with a comparison and a value', () => {
    for (const [key, target] of Object.entries(doc.targets as Record<string, { op: string; value: number }>)) {
      expect(['<=', '>=']).toContain(target.op);
      expect(typeof target.value).toBe('number');
      expect(key in doc, key).toBe(true);
    }
    expect(Object.keys(doc.targets)).toEqual(
      expect.arrayContaining(['harnessOverheadRatio', 'embeddedVsPythonOrtRatio', 'monitorCpuShare10Hz', 'orchestrationOverheadRatio']),
    );
  });

  it('has the other figures: start to first inference per runtime, cached builds, scaling 1/10/100', () => {
    expect(Object.keys(doc.startToFirstInferenceMs)).toEqual(expect.arrayContaining(['pytorch', 'onnxruntime']));
    for (const ms of Object.values(doc.startToFirstInferenceMs as Record<string, number>)) expect(ms).toBeGreaterThan(0);
    expect(doc.cachedImageRebuilt).toBe(false);
    expect(doc.cachedImageBuildSPerImage).toBeGreaterThan(0);
    expect(Object.keys(doc.scalingRunWallS)).toEqual(['1', '10', '100']);
    expect(doc.scalingRunWallS['100']).toBeGreaterThan(doc.scalingRunWallS['1']!);
  });

  it('headline figures agree with their sections', () => {
    const models = doc.sections.harness.models as Record<string, { ratio: number }>;
    expect(Object.keys(models).sort()).toEqual(['mobilenet_v2', 'resnet50']);
    expect(doc.harnessOverheadRatio).toBe(Math.max(...Object.values(models).map((m) => m.ratio)));
    const threads = doc.sections.ort.byThreads;
    expect(Object.keys(threads).sort()).toEqual(['1', '2']);
    expect(doc.embeddedVsPythonOrtRatio).toBe(Math.min(...Object.values(threads).map((t) => t.ratio)));
    expect(doc.embeddedSameLibraryVsPythonOrtRatio).toBe(Math.min(...Object.values(threads).map((t) => t.sameLibraryRatio)));
  });

  it("says which ONNX Runtime binaries the embedded comparison ran: the image's library and the npm build, told apart by hash", () => {
    const { image, npm } = doc.sections.ort.libraries;
    expect(image.file).toMatch(/\/site-packages\/onnxruntime\/capi\/libonnxruntime\.so\.\d/);
    expect(npm.file).toMatch(/^node_modules\/onnxruntime-node\/bin\//);
    for (const lib of [image, npm]) expect(lib.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(image.sha256).not.toBe(npm.sha256);
    // npm build / image build under Node: the median of the per-round ratios (node / python over nodeImageLibrary / python).
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    for (const t of Object.values(doc.sections.ort.byThreads)) {
      expect(t.npmBuildVsImageBuild).toBeCloseTo(median(t.perRoundRatios.map((r, i) => r / t.sameLibraryPerRoundRatios[i]!)), 2);
    }
    expect(doc.orchestrationOverheadRatio).toBe(doc.sections.orchestration.cli.orchestrationOverheadRatio);
  });

  it('has the campaign figures: the headline is the paper campaign, the recorded CPU replay beside it (issue 16)', () => {
    const c = doc.sections.campaign as unknown as {
      campaignTimeRatio: number;
      campaignTimeRatioSyntheticGpu: number;
      campaignTimeRatioRecordedCpu: number;
      syntheticGpu: {
        adaptive: { wallS: number; worstRelativeHalfWidth: number };
        fixed: { wallS: number; worstRelativeHalfWidth: number; repetitions: number };
      };
      recordedCpu: { source: string; adaptive: { trials: number } };
    };
    expect(doc.campaignTimeRatio).toBe(c.campaignTimeRatio);
    expect(doc.campaignTimeRatio).toBe(c.campaignTimeRatioSyntheticGpu);
    expect(doc.campaignTimeRatioRecordedCpu).toBe(c.campaignTimeRatioRecordedCpu);
    const g = c.syntheticGpu;
    expect(c.campaignTimeRatioSyntheticGpu).toBeCloseTo(g.adaptive.wallS / g.fixed.wallS, 3);
    // Equal or better precision: the fixed comparator is no more precise than the adaptive campaign where it matters.
    expect(g.adaptive.worstRelativeHalfWidth).toBeLessThanOrEqual(g.fixed.worstRelativeHalfWidth);
    expect(c.recordedCpu.source).toContain('RECORDED');
    expect(c.recordedCpu.adaptive.trials).toBeGreaterThan(0);
    expect(c.campaignTimeRatioRecordedCpu).toBeGreaterThan(0);
    expect(c.campaignTimeRatioRecordedCpu).toBeLessThanOrEqual(1);
  });

  it('says which machine produced it and that it was a full (not --quick) run', () => {
    expect(doc.quick).toBe(false);
    expect(doc.machine.logicalCpus).toBeGreaterThan(0);
    expect(typeof doc.machine.cpuModel).toBe('string');
    for (const section of Object.values(doc.sections as Record<string, { error?: string }>)) expect(section.error).toBeUndefined();
  });
});
