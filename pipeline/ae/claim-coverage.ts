/**
 * Which configurations a claim needs and which of them an experiment's plan runs: the part of "is this claim
 * testable here?" that depends only on the experiment and the claims file (the host's part is in feasibility.ts).
 */

import { claimConfigurations, configurationId, type Claim } from '../analysis/index.js';

export interface ClaimCoverage {
  id: string;
  /** Configuration ids the claim reads (both sides of a pair claim; every configuration of a correlation). */
  needed: string[];
  /** The needed ids the plan does not run. */
  absent: string[];
  /** Whether the plan runs enough of them to decide the claim (a pair claim: all its pairs, or more than half for `most`; a correlation: at least minConfigurations). */
  enough: boolean;
  /** Why not, in a few words; null when enough. */
  reason: string | null;
}

/** Coverage of each claim by the configuration ids a plan runs (trial configuration ids, modes stripped). */
export function claimCoverage(claims: readonly Claim[], planned: ReadonlySet<string>): ClaimCoverage[] {
  return claims.map((claim) => {
    if (claim.test === 'correlation') {
      const needed = claimConfigurations(claim.where, {}, claim.exclude).map(configurationId);
      const absent = needed.filter((id) => !planned.has(id));
      const have = needed.length - absent.length;
      const enough = have >= claim.minConfigurations;
      return {
        id: claim.id,
        needed,
        absent,
        enough,
        reason: enough
          ? null
          : `too few configurations: the experiment runs ${have} of the ${needed.length} it names (at least ${claim.minConfigurations} needed)`,
      };
    }
    const as = claimConfigurations(claim.where, claim.a, claim.exclude).map(configurationId);
    const bs = claimConfigurations(claim.where, claim.b, claim.exclude).map(configurationId);
    const needed = [...new Set([...as, ...bs])];
    const absent = needed.filter((id) => !planned.has(id));
    const enough = claim.quantifier === 'most' ? absent.length < needed.length / 2 : absent.length === 0;
    const shown = absent.slice(0, 3).join(', ') + (absent.length > 3 ? `, and ${absent.length - 3} more` : '');
    return {
      id: claim.id,
      needed,
      absent,
      enough,
      reason: enough ? null : `the experiment does not run ${absent.length} of the ${needed.length} configurations it compares (${shown})`,
    };
  });
}
