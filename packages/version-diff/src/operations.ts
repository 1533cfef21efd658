import type { ChangeKind, SnapshotOperation, SnapshotParameter } from '@connect/contracts';
import { type Found, pointer, sameJson } from './changes.js';

// Changes to an action or trigger: its request (method, path, parameters, body) must not become
// stricter for callers, and its responses must not take away what callers relied on.

type Emit = (found: Found) => void;

const parameterKey = (p: SnapshotParameter) => `${p.in}\u0000${p.name}`;
const statusKey = (status: number | null) => (status === null ? 'default' : String(status));

/** Every change from `before` to `after`, one operation of kind `kind` present in both versions. */
export function operationChanges(
  kind: ChangeKind,
  before: SnapshotOperation,
  after: SnapshotOperation,
  emit: Emit,
): void {
  const at = pointer(`${kind}s`, before.name);
  for (const field of ['method', 'path'] as const) {
    if (before[field] === after[field]) continue;
    emit({
      change: 'changed',
      pointer: `${at}${pointer(field)}`,
      before: before[field],
      after: after[field],
      breaking: true,
      reason: `the ${field} changed: callers sending the old ${field} reach nothing`,
    });
  }
  for (const field of ['summary', 'description'] as const) {
    if (before[field] === after[field]) continue;
    emit({
      change: 'changed',
      pointer: `${at}${pointer(field)}`,
      before: before[field],
      after: after[field],
      breaking: false,
      reason: `the ${field} only documents the ${kind}`,
    });
  }
  parameterChanges(before, after, at, emit);
  requestBodyChanges(before, after, at, emit);
  responseChanges(before, after, at, emit);
}

function parameterChanges(before: SnapshotOperation, after: SnapshotOperation, at: string, emit: Emit): void {
  const old = new Map(before.parameters.map((p) => [parameterKey(p), p]));
  const now = new Map(after.parameters.map((p) => [parameterKey(p), p]));
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
  for (const key of keys) {
    const b = old.get(key);
    const a = now.get(key);
    const p = a ?? b;
    if (!p) continue;
    const here = `${at}${pointer('parameters', p.in, p.name)}`;
    if (!b && a) {
      emit({
        change: 'added',
        pointer: here,
        after: a,
        breaking: a.required,
        reason: a.required
          ? `required ${a.in} parameter "${a.name}" was added: callers that do not send it are refused`
          : `optional ${a.in} parameter "${a.name}" was added`,
      });
    } else if (b && !a) {
      emit({
        change: 'removed',
        pointer: here,
        before: b,
        breaking: false,
        reason: `${b.in} parameter "${b.name}" was removed: callers still sending it are not refused, it is no longer read`,
      });
    } else if (b && a) {
      if (b.required !== a.required) {
        emit({
          change: 'changed',
          pointer: `${here}${pointer('required')}`,
          before: b.required,
          after: a.required,
          breaking: a.required,
          reason: a.required
            ? `${a.in} parameter "${a.name}" became required: callers that leave it out are refused`
            : `${a.in} parameter "${a.name}" became optional`,
        });
      }
      if (b.type !== a.type) {
        emit({
          change: 'changed',
          pointer: `${here}${pointer('type')}`,
          before: b.type,
          after: a.type,
          breaking: true,
          reason: `${a.in} parameter "${a.name}" changed type: values of the old type may be refused`,
        });
      }
      if (!sameJson(b.default, a.default)) {
        emit({
          change: b.default === undefined ? 'added' : a.default === undefined ? 'removed' : 'changed',
          pointer: `${here}${pointer('default')}`,
          before: b.default,
          after: a.default,
          breaking: false,
          reason: `the default of ${a.in} parameter "${a.name}" changed; callers sending a value are unaffected`,
        });
      }
    }
  }
}

function requestBodyChanges(before: SnapshotOperation, after: SnapshotOperation, at: string, emit: Emit): void {
  const b = before.requestBody;
  const a = after.requestBody;
  const here = `${at}${pointer('requestBody')}`;
  if (!b && !a) return;
  if (!b && a) {
    emit({
      change: 'added',
      pointer: here,
      after: a,
      breaking: a.required,
      reason: a.required
        ? 'a required request body was added: callers that send none are refused'
        : 'an optional request body was added',
    });
    return;
  }
  if (b && !a) {
    emit({
      change: 'removed',
      pointer: here,
      before: b,
      breaking: true,
      reason: 'the request body was removed: what callers send is no longer accepted',
    });
    return;
  }
  if (!b || !a) return;
  if (b.required !== a.required) {
    emit({
      change: 'changed',
      pointer: `${here}${pointer('required')}`,
      before: b.required,
      after: a.required,
      breaking: a.required,
      reason: a.required
        ? 'the request body became required: callers that send none are refused'
        : 'the request body became optional',
    });
  }
  for (const name of [...new Set([...b.definitions, ...a.definitions])].sort()) {
    const had = b.definitions.includes(name);
    const has = a.definitions.includes(name);
    if (had === has) continue;
    emit({
      change: had ? 'removed' : 'added',
      pointer: `${here}${pointer('definitions', name)}`,
      ...(had ? { before: name } : { after: name }),
      breaking: had,
      reason: had
        ? `the request body no longer takes definition "${name}": callers sending that shape are refused`
        : `the request body also takes definition "${name}"`,
    });
  }
}

function responseChanges(before: SnapshotOperation, after: SnapshotOperation, at: string, emit: Emit): void {
  const old = new Map(before.responses.map((r) => [statusKey(r.status), r]));
  const now = new Map(after.responses.map((r) => [statusKey(r.status), r]));
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const b = old.get(key);
    const a = now.get(key);
    const here = `${at}${pointer('responses', key)}`;
    if (!b && a) {
      emit({ change: 'added', pointer: here, after: a, breaking: false, reason: `response ${key} was added` });
      continue;
    }
    if (b && !a) {
      emit({
        change: 'removed',
        pointer: here,
        before: b,
        breaking: true,
        reason: `response ${key} was removed: callers that handle it no longer get it`,
      });
      continue;
    }
    if (!b || !a) continue;
    for (const name of [...new Set([...b.definitions, ...a.definitions])].sort()) {
      const had = b.definitions.includes(name);
      const has = a.definitions.includes(name);
      if (had === has) continue;
      // A body appearing where there was none, or one of several shapes going, takes nothing
      // callers relied on; a new shape beside others, or the only shape going, does.
      const breaking = had ? a.definitions.length === 0 : b.definitions.length > 0;
      emit({
        change: had ? 'removed' : 'added',
        pointer: `${here}${pointer('definitions', name)}`,
        ...(had ? { before: name } : { after: name }),
        breaking,
        reason: had
          ? breaking
            ? `response ${key} no longer has a body: callers that read definition "${name}" get nothing`
            : `response ${key} no longer returns definition "${name}" (others remain)`
          : breaking
            ? `response ${key} may also return definition "${name}": callers may receive a shape they do not read`
            : `response ${key} now has a body, definition "${name}"`,
      });
    }
  }
}
