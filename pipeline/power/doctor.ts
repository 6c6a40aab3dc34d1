import type { DomainInfo, SourceStatus } from './types.js';

function describeDomain(d: DomainInfo): string {
  const parts: string[] = [];
  if (d.counter) {
    const p = d.counter.updatePeriodMs;
    parts.push(`energy counter${p === null ? '' : `, updates every ${d.counter.updatePeriodIsUpperBound ? '<= ' : '~'}${p.toFixed(1)} ms`}`);
  }
  if (d.power)
    parts.push(d.power.quantity === 'instantPowerW' ? 'instant power' : `power averaged over ${d.power.averagingWindowMs ?? '?'} ms (estimate only)`);
  return `${d.domain}: ${parts.join(' + ') || 'no energy'}`;
}

/**
 * The power part of `greenrt doctor`: which sources work on this host, what each measures, and for
 * each one that does not, why and how to fix it. Plain text, one block per source.
 */
export function formatPowerDoctor(statuses: SourceStatus[]): string {
  const lines: string[] = ['Power sources:'];
  for (const s of statuses) {
    const works = s.available && (s.domains.length > 0 || s.source === 'none');
    lines.push(`  [${works ? ' ok ' : 'FAIL'}] ${s.source}`);
    for (const d of s.domains) lines.push(`         ${describeDomain(d)}`);
    if (s.detail) lines.push(`         detail: ${s.detail}`);
    if (s.reason) lines.push(`         ${works ? 'note' : 'why'}: ${s.reason}`);
    if (s.fix) lines.push(`         fix: ${s.fix}`);
  }
  const measured = [...new Set(statuses.filter((s) => s.available).flatMap((s) => s.domains.map((d) => d.hardware)))];
  lines.push(
    measured.length
      ? `Energy will be measured for: ${measured.join(', ')}.`
      : 'No power source works on this host: trials will run, with energy reported as unavailable (set power.required: true to refuse such runs).',
  );
  return lines.join('\n');
}
