/** evaluation.md: the evaluation for people, in the order an evaluator reads it (hosts, claims, rankings, absolute numbers, badge advice). */
import type { AeEvaluationFile } from '../contracts/index.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (v: number | null, digits = 3) => (v === null ? '–' : v.toPrecision(digits));
const short = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderEvaluationMarkdown(e: AeEvaluationFile): string {
  const out: string[] = [
    `# Evaluation of ${e.run.runId} against the reference ${e.reference.runId}`,
    '',
    `Claims: \`${e.claimsFile}\`, evaluated on both runs' trials with the same code. Manifest SHA-256: reference \`${e.reference.manifestSha256}\`, this run \`${e.run.manifestSha256}\`.`,
    '',
    '## The two hosts',
    '',
  ];
  if (e.hosts.differences.length === 0) out.push('No differences in GPU, driver, CPU, power sources or kernel.');
  else {
    out.push('| Fact | Reference | This run |', '| --- | --- | --- |');
    for (const d of e.hosts.differences) out.push(`| ${cell(d.what)} | ${cell(d.reference)} | ${cell(d.run)} |`);
  }
  out.push(
    '',
    e.hosts.sameGpuAndDriver
      ? 'Same GPU model and driver: absolute numbers are judged below.'
      : 'GPU model or driver differ: absolute numbers are shown, not judged.',
  );
  const c = e.counts;
  out.push(
    '',
    '## Claims',
    '',
    `Reproduction: **${c.reproduction.agrees} agree, ${c.reproduction.contradicts} contradict**, ${c.reproduction.notTestable} not testable here, ${c.reproduction.undecided} undecided. ` +
      `Extension (counted apart): ${c.extension.agrees} agree, ${c.extension.contradicts} contradict, ${c.extension.notTestable} not testable here, ${c.extension.undecided} undecided.`,
    '',
    '| Claim | Scope | Outcome | Reference verdict | This run | Why |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  const label = (v: AeEvaluationFile['claims'][number]['run']) =>
    v.verdict + (v.energyScope === 'gpu-only' && v.verdict !== 'inconclusive' ? ' (GPU energy only)' : '');
  for (const k of e.claims)
    out.push(
      `| \`${k.id}\` | ${k.scope} | ${k.outcome === 'agrees' || k.outcome === 'contradicts' ? `**${k.outcome}**` : k.outcome} | ${label(k.reference)} | ${label(k.run)} | ${cell(short(k.why))} |`,
    );
  const ratioRows = e.claims.flatMap((k) => k.ratios.map((r) => ({ id: k.id, ...r })));
  if (ratioRows.length) {
    out.push(
      '',
      "### Ratios against the claims' bands",
      '',
      '| Claim | A | B | Metric | Band | Reference A/B | This run A/B | In band |',
      '| --- | --- | --- | --- | --- | ---: | ---: | --- |',
    );
    for (const r of ratioRows)
      out.push(
        `| \`${r.id}\` | \`${r.a}\` | \`${r.b}\` | ${r.metric} | [${r.band.join(', ')}] | ${num(r.reference)} | ${num(r.run)} | ${r.runWithinBand === null ? '–' : r.runWithinBand ? 'yes' : '**no**'} |`,
      );
  }
  out.push('', '## Runtime rankings (median latency, fastest first)', '');
  if (e.rankings.length === 0) out.push('No model, batch size and provider measured by both runs.');
  else {
    out.push("| Model | Batch | Provider | n | Reference | This run | Kendall's tau |", '| --- | ---: | --- | ---: | --- | --- | ---: |');
    for (const r of e.rankings)
      out.push(
        `| ${r.model} | ${r.batchSize} | ${r.provider} | ${r.configurations} | ${cell(r.reference.join(' < '))} | ${cell(r.run.join(' < '))} | ${r.kendallTau === null ? '– (one runtime)' : r.kendallTau.toFixed(2)} |`,
      );
  }
  out.push('', '## Absolute numbers', '', `${e.absolute.why}.`, '');
  if (e.absolute.rows.length) {
    out.push('| Configuration | Reference ms | This run ms | This / reference | Within |', '| --- | ---: | ---: | ---: | --- |');
    for (const r of e.absolute.rows)
      out.push(
        `| \`${r.configuration}\` | ${num(r.referenceMs, 4)} | ${num(r.runMs, 4)} | ${num(r.ratio)} | ${r.within === null ? 'not judged' : r.within ? 'yes' : '**no**'} |`,
      );
  }
  out.push(
    '',
    '## What the evidence supports',
    '',
    e.badge,
    '',
    `Exit code ${e.exitCode} (0 every testable claim agrees, 4 one contradicts, 3 none testable).`,
    '',
  );
  return out.join('\n');
}
