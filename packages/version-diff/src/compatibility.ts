import {
  breakingChangesListed,
  type CompatibilityPolicy,
  type CompatibilityVerdict,
  type VersionDiff,
} from '@connect/contracts';
import { parseSemver } from './semver.js';

/**
 * Whether the `backward` policy judges a publish of `to` over the latest `from`. A greater SemVer
 * major announces the break, so it is let through; any other pair is judged — non-SemVer names too
 * (nothing announces a break), and a lower major (a backport): published, it becomes latest, so
 * callers of `latest` would meet the break.
 */
export function policyApplies(from: string, to: string): boolean {
  const a = parseSemver(from);
  const b = parseSemver(to);
  return !(a && b && b.major > a.major);
}

/**
 * What `policy` says of publishing the version `diff` runs to, from the latest it runs from (null
 * when nothing is published: the first version always publishes).
 */
export function compatibilityOf(policy: CompatibilityPolicy, diff: VersionDiff | null): CompatibilityVerdict {
  const checked = policy === 'backward' && diff !== null && policyApplies(diff.from, diff.to);
  const breaking = checked ? diff.changes.filter((change) => change.breaking) : [];
  return {
    policy,
    checked,
    compatible: breaking.length === 0,
    breakingChanges: breaking.slice(0, breakingChangesListed),
    breakingCount: breaking.length,
  };
}
