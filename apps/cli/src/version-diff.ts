import type { VersionChange, VersionDiff } from '@connect/client';

// The server's diff (`versionDiffs.get`) as people read it: a line per change, breaking ones marked,
// then a summary with the SemVer bump the changes call for.

const sign = { added: '+', removed: '-', changed: '~' } as const;

/** One change: `+`, `-` or `~`, its JSON pointer, and why it breaks callers when it does. */
export function changeLine(change: VersionChange): string {
  return `${sign[change.change]} ${change.pointer}${change.breaking ? ` BREAKING: ${change.reason}` : ''}`;
}

/** The lines `versions diff` prints; `breakingOnly` when the changes were filtered to the breaking ones. */
export function formatDiff(diff: VersionDiff, breakingOnly: boolean): string[] {
  if (diff.changes.length === 0) {
    return [
      breakingOnly
        ? `nothing in ${diff.to} breaks callers of ${diff.from}`
        : `${diff.from} and ${diff.to} have the same actions, triggers and definitions`,
    ];
  }
  const breaking = diff.changes.filter((change) => change.breaking).length;
  const counted = breakingOnly
    ? `${String(breaking)} breaking`
    : `${String(diff.changes.length)} change${diff.changes.length === 1 ? '' : 's'}, ${String(breaking)} breaking`;
  const bump = diff.suggestedBump === null ? '' : `; suggested bump: ${diff.suggestedBump}`;
  return [...diff.changes.map(changeLine), '', `${diff.from} → ${diff.to}: ${counted}${bump}`];
}
