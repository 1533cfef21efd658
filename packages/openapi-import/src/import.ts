import { actionCreate, definitionCreate, triggerCreate } from '@connect/contracts';
import type { ZodType } from 'zod';
import { DefinitionRegistry } from './definitions.js';
import { checkDocument } from './document.js';
import { isObject, type Json } from './json.js';
import { mapActions, mapTriggers } from './operations.js';
import { UnmappedList, type ImportResult } from './result.js';
import { mapSecuritySchemes } from './security.js';

/** `servers[0].url` with its variables replaced by their defaults, as OpenAPI says to. */
function baseUrlOf(document: Json, unmapped: UnmappedList): string | undefined {
  const servers = Array.isArray(document.servers) ? (document.servers as unknown[]) : [];
  if (servers.length > 1) unmapped.add('/servers/1', 'only the first server becomes the base URL');
  const server = servers[0];
  if (!isObject(server) || typeof server.url !== 'string') return undefined;
  const variables = isObject(server.variables) ? server.variables : {};
  return server.url.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
}

/**
 * Every item as its contract parses it. The mapping writes valid bodies by construction; this is
 * the net under it, so a rule it misses is a report, never a body the API would refuse.
 */
function checked<T>(items: { at: string; item: T }[], schema: ZodType, unmapped: UnmappedList): T[] {
  return items.flatMap(({ at, item }) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return [item];
    const issue = parsed.error.issues[0];
    unmapped.add(at, `was not mappable: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    return [];
  });
}

/**
 * An already-parsed OpenAPI 3.0 or 3.1 document as the bodies that create a connector version's
 * actions, triggers, definitions and auth scheme configs, with everything that has no place in a
 * version listed in `unmapped`. A document that is no importable OpenAPI document gives
 * `problems` instead, each at a JSON Pointer. Pure: the same document always maps the same way.
 */
export function importOpenApi(input: unknown): ImportResult {
  const checkedDocument = checkDocument(input);
  if ('problems' in checkedDocument) return checkedDocument;
  const { document, dialect } = checkedDocument;
  const unmapped = new UnmappedList();
  const baseUrl = baseUrlOf(document, unmapped);
  const registry = new DefinitionRegistry(document, dialect, unmapped);
  const mapping = { document, registry, unmapped };
  const actions = mapActions(mapping);
  const triggers = dialect === '3.1' ? mapTriggers(mapping) : [];
  if (dialect === '3.0' && document.webhooks !== undefined)
    unmapped.add('/webhooks', 'webhooks are OpenAPI 3.1: not read in a 3.0 document');
  const authSchemeConfigs = mapSecuritySchemes(document, baseUrl, unmapped);
  const definitions = checked(registry.list(), definitionCreate, unmapped);
  return {
    ...(baseUrl === undefined ? {} : { baseUrl }),
    actions: checked(actions, actionCreate, unmapped),
    triggers: checked(triggers, triggerCreate, unmapped),
    definitions,
    authSchemeConfigs,
    unmapped: unmapped.entries,
  };
}
