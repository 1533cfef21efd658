import { describe, expect, it } from 'vitest';
import { diffVersions } from '../../src/index.js';
import { openApiDiff } from './openapi-diff.js';
import { openApiOfSnapshot } from './openapi-of-snapshot.js';
import { rulePairs } from './rule-corpus.js';

// The breaking-change rules cross-checked against Atlassian's openapi-diff: each rule's pair of versions
// is judged by the version diff and, written as OpenAPI 3.0 documents, by openapi-diff. Both verdicts
// are recorded in the corpus; where they differ the corpus says why (docs/version-intelligence.md).

describe('cross-check of the breaking-change rules with openapi-diff', () => {
  it.each(rulePairs)('$rule', { timeout: 60_000 }, async (pair) => {
    const tool = await openApiDiff(openApiOfSnapshot(pair.from), openApiOfSnapshot(pair.to), 30_000);
    if (tool.kind !== 'verdict')
      throw new Error(`openapi-diff gave no verdict: ${tool.kind === 'error' ? tool.message : 'timeout'}`);
    const verdicts = { ours: diffVersions(pair.from, pair.to).breaking, tool: tool.breaking.length > 0 };
    expect(verdicts).toEqual({ ours: pair.ours, tool: pair.tool });
    if (pair.ours !== pair.tool) expect(pair.why).toBeTruthy();
  });
});
