import type { ActionCreate, DefinitionCreate, TriggerCreate } from '@connect/contracts';
import type { JsonObject, Unexported } from './input.js';

type Operation = ActionCreate | TriggerCreate;
type Body = { definitions: { definition: { id?: string | undefined; name?: string | undefined } }[] };

// OpenAPI 3.1's operations: CONNECT has no field of a path item.
const openApiMethods = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']);

/** `/repos/{{ param.owner }}` → `/repos/{owner}`: the path template OpenAPI writes. */
export const openApiPath = (path: string) => path.replace(/\{\{\s*param\.([^{}\s]+)\s*\}\}/g, '{$1}');

/** What a version's bodies link, by definition name. */
interface Linking {
  definitions: Map<string, DefinitionCreate>;
  unexported: Unexported[];
}

/**
 * A body's `content`: one media type per linked definition, each a `$ref` to its component. A
 * definition goes under the first media type of its `accept` that the body does not use yet; when
 * all are taken, under `application/json; connect-link=N`, so that no link is lost.
 */
function contentOf(body: Body, owner: string, kind: Unexported['kind'], linking: Linking): JsonObject {
  const content: JsonObject = {};
  let extra = 1;
  for (const { definition: ref } of body.definitions) {
    const definition = ref.name === undefined ? undefined : linking.definitions.get(ref.name);
    if (definition === undefined) {
      linking.unexported.push({
        kind,
        name: owner,
        reason: `links definition ${ref.name ?? ref.id ?? '?'}, which is no definition of this version`,
      });
      continue;
    }
    let type = definition.accept.find((candidate) => content[candidate] === undefined);
    while (type === undefined) {
      extra += 1;
      const candidate = `application/json; connect-link=${String(extra)}`;
      if (content[candidate] === undefined) type = candidate;
    }
    content[type] = { schema: { $ref: `#/components/schemas/${definition.name}` } };
  }
  return content;
}

/** Parameters, request body and responses of an action or trigger as an OpenAPI operation. */
function operationOf(operation: Operation, kind: Unexported['kind'], linking: Linking): JsonObject {
  const out: JsonObject = { operationId: operation.name };
  if (operation.summary) out.summary = operation.summary;
  if (operation.description) out.description = operation.description;
  if (operation.parameters.length > 0) {
    out.parameters = operation.parameters.map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      // OpenAPI requires every path parameter; a version may mark one optional.
      required: parameter.in === 'path' ? true : parameter.required,
      schema: { type: parameter.type, ...(parameter.default === undefined ? {} : { default: parameter.default }) },
      ...(parameter.completion === undefined ? {} : { 'x-connect-completion': parameter.completion }),
    }));
  }
  if (operation.requestBody) {
    out.requestBody = {
      required: operation.requestBody.required,
      content: contentOf(operation.requestBody, operation.name, kind, linking),
    };
  }
  if (operation.responses.length > 0) {
    const responses: JsonObject = {};
    for (const response of operation.responses) {
      const status = response.status ?? null;
      const content = contentOf(response, operation.name, kind, linking);
      responses[status === null ? 'default' : String(status)] = {
        description: status === null ? 'Any other status' : `Status ${String(status)}`,
        ...(Object.keys(content).length === 0 ? {} : { content }),
      };
    }
    out.responses = responses;
  }
  return out;
}

/**
 * `paths`: each action as the operation of its method under its path, `{{ param.x }}` written
 * `{x}`. An action OpenAPI cannot hold is listed instead: the CONNECT method, a path that does not
 * start with `/` or holds other templates, a method and path another action (earlier by name) has.
 */
export function pathsOf(actions: ActionCreate[], linking: Linking): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const action of [...actions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = openApiPath(action.path);
    const method = action.method.toLowerCase();
    const refuse = (reason: string) => linking.unexported.push({ kind: 'action', name: action.name, reason });
    if (!openApiMethods.has(action.method)) refuse(`OpenAPI 3.1 has no ${action.method} operation`);
    else if (!path.startsWith('/')) refuse('its path does not start with /, as an OpenAPI path must');
    else if (path.includes('{{') || path.includes('}}')) refuse('its path holds a template other than {{ param.x }}');
    else if (paths[path]?.[method] !== undefined) {
      const other = (paths[path][method] as JsonObject).operationId as string;
      refuse(`action ${other} has the same method and path, and OpenAPI holds one operation for each`);
    } else {
      paths[path] = { ...paths[path], [method]: operationOf(action, 'action', linking) };
    }
  }
  return paths;
}

/** `webhooks`: each trigger as the operation of its method under the trigger's name. */
export function webhooksOf(triggers: TriggerCreate[], linking: Linking): JsonObject {
  const webhooks: JsonObject = {};
  for (const trigger of [...triggers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!openApiMethods.has(trigger.method)) {
      linking.unexported.push({
        kind: 'trigger',
        name: trigger.name,
        reason: `OpenAPI 3.1 has no ${trigger.method} operation`,
      });
      continue;
    }
    webhooks[trigger.name] = { [trigger.method.toLowerCase()]: operationOf(trigger, 'trigger', linking) };
  }
  return webhooks;
}
