import type { ActionCreate, DefinitionRef, TriggerCreate, ValidationMessage } from '@connect/contracts';
import { newUlid, type ImportedDefinition, type ImportedOperation } from '@connect/db';
import type { ImportMapping } from '@connect/openapi-import';

/** A mapped document as the rows that write it, with what could not be linked as messages. */
export interface VersionRows {
  definitions: ImportedDefinition[];
  actions: ImportedOperation[];
  triggers: ImportedOperation[];
  messages: ValidationMessage[];
}

const defsPrefix = '#/$defs/';

/** The definition names a schema's `$ref`s (`#/$defs/{name}[/…]`) link, found iteratively. */
function linkedNames(content: string): Set<string> {
  const names = new Set<string>();
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch {
    return names;
  }
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) pending.push(item);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(defsPrefix)) {
        const segment = value.slice(defsPrefix.length).split('/')[0] ?? '';
        names.add(segment.replace(/~1/g, '/').replace(/~0/g, '~'));
      } else if (key !== 'example' && key !== 'examples' && key !== 'const' && key !== 'enum') {
        pending.push(value);
      }
    }
  }
  return names;
}

/**
 * Rows with ids chosen here (new ULIDs), so that the whole
 * version goes to the database in one statement. The mapping links only what it defines; a link it
 * makes that still names nothing, or a second definition of a body for a media type already
 * linked, is left out with a warning rather than refused by the database.
 */
export function versionRows(mapping: ImportMapping): VersionRows {
  const messages: ValidationMessage[] = [];
  const warn = (text: string) => messages.push({ text, severity: 'warning' });
  const ids = new Map<string, { id: string; accept: string[] }>();
  const definitions = mapping.definitions.map((definition) => {
    const id = newUlid();
    ids.set(definition.name, { id, accept: definition.accept });
    return {
      id,
      name: definition.name,
      description: definition.description ?? '',
      accept: definition.accept,
      contentType: definition.schema.contentType,
      content: definition.schema.content,
      referrerNames: [] as string[],
    };
  });
  // A link is kept on its target: the names of the definitions that refer to it.
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  for (const definition of definitions) {
    for (const name of linkedNames(definition.content)) {
      const target = byName.get(name);
      if (target === undefined) {
        warn(`definition "${definition.name}" refers to "${name}", which was not imported: the $ref is not linked`);
      } else {
        target.referrerNames.push(definition.name);
      }
    }
  }
  for (const definition of definitions) definition.referrerNames = [...new Set(definition.referrerNames)].sort();

  const operationRows = (kind: 'action' | 'trigger', items: (ActionCreate | TriggerCreate)[]): ImportedOperation[] =>
    items.map((item) => {
      const id = newUlid();
      const bodies: ImportedOperation['bodies'] = [];
      const link = (responseId: string | null, refs: { definition: DefinitionRef }[], body: string) => {
        const accepted = new Set<string>();
        const linked = new Set<string>();
        for (const { definition: ref } of refs) {
          const target = ref.name === undefined ? undefined : ids.get(ref.name);
          if (target === undefined) {
            warn(`${kind} "${item.name}": ${body} links "${ref.name ?? ''}", which was not imported`);
            continue;
          }
          if (linked.has(target.id) || target.accept.some((type) => accepted.has(type))) {
            warn(
              `${kind} "${item.name}": ${body} links one definition per media type; "${ref.name ?? ''}" is left out`,
            );
            continue;
          }
          linked.add(target.id);
          for (const type of target.accept) accepted.add(type);
          bodies.push({
            responseId,
            definitionId: target.id,
            position: bodies.filter((b) => b.responseId === responseId).length,
          });
        }
      };
      if (item.requestBody) link(null, item.requestBody.definitions, 'the request body');
      const responses = item.responses.map((response, position) => {
        const responseId = newUlid();
        link(responseId, response.definitions, `the ${String(response.status ?? 'default')} response`);
        return { id: responseId, status: response.status ?? null, position };
      });
      return {
        id,
        name: item.name,
        summary: item.summary ?? '',
        description: item.description ?? '',
        method: item.method,
        path: 'path' in item ? item.path : '',
        parameters: item.parameters,
        requestBodyRequired: item.requestBody ? item.requestBody.required : null,
        responses,
        bodies,
      };
    });

  return {
    definitions,
    actions: operationRows('action', mapping.actions),
    triggers: operationRows('trigger', mapping.triggers),
    messages,
  };
}
