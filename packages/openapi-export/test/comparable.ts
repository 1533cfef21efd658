import type { ActionCreate, DefinitionCreate, TriggerCreate } from '@connect/contracts';
import type { ImportMapping } from '@connect/openapi-import';

type Operation = ActionCreate | TriggerCreate;

const byName = <T extends { name: string }>(items: T[]) =>
  [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const linked = (body: { definitions: { definition: { name?: string | undefined } }[] }) =>
  body.definitions.map((link) => link.definition.name);

/**
 * An action or trigger as the round trip promises to keep it: the order of operations and of
 * responses is the document's, and an empty text is no text.
 */
function operation(op: Operation) {
  return {
    name: op.name,
    method: op.method,
    ...('path' in op ? { path: op.path } : {}),
    summary: op.summary || undefined,
    description: op.description || undefined,
    parameters: op.parameters.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
      type: p.type,
      default: p.default,
    })),
    requestBody: op.requestBody ? { required: op.requestBody.required, links: linked(op.requestBody) } : undefined,
    responses: [...op.responses]
      .map((response) => ({ status: response.status ?? null, links: linked(response) }))
      .sort((a, b) => (a.status ?? 1000) - (b.status ?? 1000)),
  };
}

/** A definition as the round trip keeps it: name, JSON Schema (links included), description. */
const definition = (descriptions: boolean) => (d: DefinitionCreate) => ({
  name: d.name,
  schema: JSON.parse(d.schema.content) as unknown,
  description: descriptions ? d.description || undefined : undefined,
});

/** What `importOpenApi(exportOpenApi(v))` must give back of `v`. */
export function comparable(v: Pick<ImportMapping, 'actions' | 'triggers' | 'definitions'>, descriptions = true) {
  return JSON.parse(
    JSON.stringify({
      actions: byName(v.actions).map(operation),
      triggers: byName(v.triggers).map(operation),
      definitions: byName(v.definitions).map(definition(descriptions)),
    }),
  ) as unknown;
}
