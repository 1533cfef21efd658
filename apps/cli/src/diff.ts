import { isDeepStrictEqual } from 'node:util';
import type { Action, Definition, Trigger } from '@connect/client';

// What changed between two versions, child by child. Children are matched by name, and compared
// on what their authors wrote: ids, timestamps, URLs and the server's validation `errors` differ
// between any two versions (a copy gets new ids), so they are left out; links to definitions are
// compared by the definition's name, as ids differ in a copy too.

/** The children of one version, as the lists return them. */
export interface VersionContent {
  actions: Action[];
  triggers: Trigger[];
  definitions: Definition[];
}

export interface ChangedChild {
  name: string;
  /** The fields that differ, in the order the API shows them. */
  fields: string[];
  /** Those fields in the first version, as compared (links by name). */
  before: Record<string, unknown>;
  /** Those fields in the second version. */
  after: Record<string, unknown>;
}

export interface KindDiff {
  added: string[];
  removed: string[];
  changed: ChangedChild[];
}

export interface VersionDiff {
  connectorId: string;
  /** The versions as given (a name, `latest` or `default`). */
  from: string;
  to: string;
  identical: boolean;
  actions: KindDiff;
  triggers: KindDiff;
  definitions: KindDiff;
}

type Comparable = Record<string, unknown>;

/** Definition links compared as a set of names: their order in the list carries no meaning. */
const linkedNames = (links: { definition: { name: string } }[]): string[] =>
  links.map((link) => link.definition.name).sort();

/** The fields an action or trigger is compared on. */
function comparableOperation(operation: Action | Trigger): Comparable {
  return {
    type: operation.type,
    summary: operation.summary,
    description: operation.description,
    method: operation.method,
    ...('path' in operation ? { path: operation.path } : {}),
    parameters: operation.parameters.map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.required,
      type: parameter.type,
      default: parameter.default ?? null,
      completion: parameter.completion ?? null,
    })),
    requestBody: operation.requestBody
      ? { required: operation.requestBody.required, definitions: linkedNames(operation.requestBody.definitions) }
      : null,
    // Responses are keyed by status, so their order is not a change; the default one (no status) last.
    responses: operation.responses
      .map((response) => ({ status: response.status ?? null, definitions: linkedNames(response.definitions) }))
      .sort((a, b) => (a.status ?? 1000) - (b.status ?? 1000)),
  };
}

/** The fields a definition is compared on; `referencedBy` by what refers to it, not by id. */
function comparableDefinition(definition: Definition): Comparable {
  return {
    description: definition.description,
    accept: [...definition.accept].sort(),
    schema: { contentType: definition.schema.contentType, content: definition.schema.content },
    referencedBy: definition.referencedBy.map((ref) => `${ref.type} ${ref.name}`).sort(),
  };
}

function diffKind<T extends { name: string }>(before: T[], after: T[], comparable: (item: T) => Comparable): KindDiff {
  const was = new Map(before.map((item) => [item.name, comparable(item)]));
  const now = new Map(after.map((item) => [item.name, comparable(item)]));
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const added = [...now.keys()].filter((name) => !was.has(name)).sort(byName);
  const removed = [...was.keys()].filter((name) => !now.has(name)).sort(byName);
  const changed: ChangedChild[] = [];
  for (const name of [...now.keys()].sort(byName)) {
    const old = was.get(name);
    const current = now.get(name);
    if (old === undefined || current === undefined) continue;
    const fields = [...new Set([...Object.keys(old), ...Object.keys(current)])].filter(
      (field) => !isDeepStrictEqual(old[field], current[field]),
    );
    if (fields.length === 0) continue;
    changed.push({
      name,
      fields,
      before: Object.fromEntries(fields.map((field) => [field, old[field] ?? null])),
      after: Object.fromEntries(fields.map((field) => [field, current[field] ?? null])),
    });
  }
  return { added, removed, changed };
}

export function diffVersions(
  versions: { connectorId: string; from: string; to: string },
  before: VersionContent,
  after: VersionContent,
): VersionDiff {
  const actions = diffKind(before.actions, after.actions, comparableOperation);
  const triggers = diffKind(before.triggers, after.triggers, comparableOperation);
  const definitions = diffKind(before.definitions, after.definitions, comparableDefinition);
  const identical = [actions, triggers, definitions].every(
    (kind) => kind.added.length + kind.removed.length + kind.changed.length === 0,
  );
  return { ...versions, identical, actions, triggers, definitions };
}

const kinds = [
  ['action', 'actions'],
  ['trigger', 'triggers'],
  ['definition', 'definitions'],
] as const;

/**
 * The diff for a terminal, one line per child: `+ action getOrder`, `- definition Old`,
 * `~ action createOrder: method, responses`; then a count.
 */
export function formatDiff(diff: VersionDiff): string[] {
  if (diff.identical) return [`${diff.from} and ${diff.to} have the same actions, triggers and definitions`];
  const lines: string[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const [kind, key] of kinds) {
    const part = diff[key];
    for (const name of part.added) lines.push(`+ ${kind} ${name}`);
    for (const name of part.removed) lines.push(`- ${kind} ${name}`);
    for (const child of part.changed) lines.push(`~ ${kind} ${child.name}: ${child.fields.join(', ')}`);
    added += part.added.length;
    removed += part.removed.length;
    changed += part.changed.length;
  }
  lines.push(
    '',
    `${diff.from} → ${diff.to}: ${String(added)} added, ${String(removed)} removed, ${String(changed)} changed`,
  );
  return lines;
}
