import type { SemverBump, VersionChange } from '@connect/contracts';

/** SemVer 2.0.0, with an optional leading `v` (as many tags are written). */
const semverPattern =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** The major, minor and patch numbers of a SemVer name, or null for a name that is not one. */
export function parseSemver(name: string): { major: number; minor: number; patch: number } | null {
  const match = semverPattern.exec(name);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * The least bump the changes call for: major for a breaking one, minor for an addition, patch for
 * any other change; null when nothing changed or either name is not SemVer.
 */
export function suggestedBump(from: string, to: string, changes: VersionChange[]): SemverBump | null {
  if (!parseSemver(from) || !parseSemver(to) || changes.length === 0) return null;
  if (changes.some((c) => c.breaking)) return 'major';
  if (changes.some((c) => c.change === 'added')) return 'minor';
  return 'patch';
}
