import { describe, expect, it } from 'vitest';
import { githubCrossCheck, type OperationVerdicts } from './github-pair.js';

// GitHub Enterprise Server 3.17 and 3.18's REST API descriptions, imported as two versions and diffed
// in both directions (an upgrade and a downgrade), each operation's verdict cross-checked against
// openapi-diff's. Recorded when written: 980 operations; 64 differ in more than documentation; the
// upgrade breaks nothing by both tools, the downgrade breaks 57 operations by both; openapi-diff gives
// no verdict within its budget on the 3 operations that reach the check-suite schemas.

/** The operations whose verdicts differ, where openapi-diff gave one. */
const disagreements = (operations: OperationVerdicts[]) =>
  operations.filter((o) => o.tool.kind === 'verdict' && o.ours !== o.tool.breaking.length > 0);

function tally(operations: OperationVerdicts[]) {
  const changed = operations.filter((o) => o.tool.kind !== 'unchanged');
  const judged = changed.filter((o) => o.tool.kind === 'verdict');
  return {
    changed: changed.length,
    judged: judged.length,
    breakingByBoth: judged.filter((o) => o.ours).length,
    unchangedButBreaking: operations.filter((o) => o.tool.kind === 'unchanged' && o.ours).map((o) => o.operation),
  };
}

describe('cross-check on GitHub Enterprise Server 3.17 → 3.18, with openapi-diff', () => {
  const budget = 15_000;

  it('the upgrade: no operation broken, by either tool', { timeout: 900_000 }, async () => {
    const { diff, operations } = await githubCrossCheck('ghes-3.17', 'ghes-3.18', budget);
    expect(diff.breaking).toBe(false);
    expect(diff.changes.length).toBeGreaterThan(500);
    expect(disagreements(operations)).toEqual([]);
    const counts = tally(operations);
    expect(counts).toMatchObject({ changed: 64, breakingByBoth: 0, unchangedButBreaking: [] });
    // openapi-diff judges at least nine in ten of the changed operations within its budget.
    expect(counts.judged).toBeGreaterThanOrEqual(58);
  });

  it('the downgrade: the same operations broken by both tools', { timeout: 900_000 }, async () => {
    const { diff, operations } = await githubCrossCheck('ghes-3.18', 'ghes-3.17', budget);
    expect(diff.breaking).toBe(true);
    expect(diff.suggestedBump).toBeNull();
    expect(disagreements(operations)).toEqual([]);
    const counts = tally(operations);
    expect(counts).toMatchObject({ changed: 64, unchangedButBreaking: [] });
    expect(counts.judged).toBeGreaterThanOrEqual(58);
    expect(counts.breakingByBoth).toBeGreaterThanOrEqual(53);
    // Operations the release added are gone in the downgrade: removed, breaking, by both.
    const removed = operations.filter((o) => o.breakingPointers.some((p) => /^\/actions\/[^/]+$/.test(p)));
    expect(removed.length).toBe(14);
  });
});
