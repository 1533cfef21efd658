import type { ChangeKind, SnapshotOperation, VersionDiff, VersionSnapshot } from '@connect/contracts';
import { ChangeLog, type Side, pointer } from './changes.js';
import { definitionChanges, definitionSides, schemasOf } from './definitions.js';
import { operationChanges } from './operations.js';
import { suggestedBump } from './semver.js';

export { parseSemver, suggestedBump } from './semver.js';
export { pointer } from './changes.js';
export { compatibilityOf, policyApplies } from './compatibility.js';

/**
 * Every change from version `from` to version `to`, each judged breaking or not for callers
 * written against `from`, sorted by pointer. Pure: the same two snapshots give the same answer.
 */
export function diffVersions(from: VersionSnapshot, to: VersionSnapshot): VersionDiff {
  const log = new ChangeLog();
  operationsDiff('action', from.actions, to.actions, log);
  operationsDiff('trigger', from.triggers, to.triggers, log);

  const schemasFrom = schemasOf(from);
  const schemasTo = schemasOf(to);
  const sidesFrom = definitionSides(from);
  const sidesTo = definitionSides(to);
  const before = new Map(from.definitions.map((d) => [d.name, d]));
  const after = new Map(to.definitions.map((d) => [d.name, d]));
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(name);
    const a = after.get(name);
    const at = pointer('definitions', name);
    if (b && a) {
      // Judged by every side it reaches callers on, in either version.
      const sides = new Set<Side>([...(sidesFrom.get(name) ?? []), ...(sidesTo.get(name) ?? [])]);
      definitionChanges(
        b,
        a,
        { before: schemasFrom.get(name), after: schemasTo.get(name) },
        sides,
        log.for('definition', name),
      );
    } else if (a) {
      log.add('definition', name, { change: 'added', pointer: at, breaking: false, reason: 'a definition was added' });
    } else if (b) {
      log.add('definition', name, {
        change: 'removed',
        pointer: at,
        breaking: true,
        reason: 'the definition was removed: its schema URL no longer resolves for callers that fetch it',
      });
    }
  }

  const changes = log.changes.sort((x, y) => (x.pointer < y.pointer ? -1 : x.pointer > y.pointer ? 1 : 0));
  return {
    from: from.name,
    to: to.name,
    changes,
    breaking: changes.some((c) => c.breaking),
    suggestedBump: suggestedBump(from.name, to.name, changes),
  };
}

function operationsDiff(kind: ChangeKind, from: SnapshotOperation[], to: SnapshotOperation[], log: ChangeLog): void {
  const before = new Map(from.map((o) => [o.name, o]));
  const after = new Map(to.map((o) => [o.name, o]));
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(name);
    const a = after.get(name);
    const at = pointer(`${kind}s`, name);
    if (b && a) operationChanges(kind, b, a, log.for(kind, name));
    else if (a) log.add(kind, name, { change: 'added', pointer: at, breaking: false, reason: `a ${kind} was added` });
    else if (b) {
      log.add(kind, name, {
        change: 'removed',
        pointer: at,
        breaking: true,
        reason: `the ${kind} was removed: callers of it reach nothing`,
      });
    }
  }
}
