import type { DefinitionCreate } from '@connect/contracts';
import { withoutDanglingRefs } from './dangling.js';
import type { ExportedVersion, JsonObject, Unexported } from './input.js';
import { pathsOf, webhooksOf } from './operations.js';
import { componentSchemas } from './schemas.js';
import { securitySchemesOf } from './security.js';

/** The OpenAPI version of every exported document. */
export const exportedOpenApiVersion = '3.1.0';

/**
 * A connector version as an OpenAPI 3.1 document: actions as operations of `paths`, triggers as
 * `webhooks`, definitions as `components.schemas` (links `#/$defs/{name}` written
 * `#/components/schemas/{name}`), auth scheme configs as `components.securitySchemes`, the
 * connector's base URL as `servers[0]` and its name, description and the version's name as `info`.
 * What OpenAPI cannot hold is listed in `x-connect-unexported`. Pure, and deterministic: the same
 * version always gives the same document, key for key, so its hash is a strong ETag.
 */
export function exportOpenApi(input: ExportedVersion): JsonObject {
  const unexported: Unexported[] = [];
  const definitions = [...input.definitions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Written fresh: the pass over dangling `$ref`s below edits the document in place.
  const { schemas } = componentSchemas(definitions, unexported);
  const linking = { definitions: new Map<string, DefinitionCreate>(definitions.map((d) => [d.name, d])), unexported };
  const paths = pathsOf(input.actions, linking);
  const webhooks = webhooksOf(input.triggers, linking);
  const securitySchemes = securitySchemesOf(input.authSchemeConfigs, unexported);

  const info: JsonObject = { title: input.connector.name, version: input.version.name };
  if (input.connector.description) info.description = input.connector.description;
  if (input.version.description) info['x-connect-version-description'] = input.version.description;
  const document: JsonObject = { openapi: exportedOpenApiVersion, info };
  if (input.connector.baseUrl) document.servers = [{ url: input.connector.baseUrl }];
  document.paths = paths;
  if (Object.keys(webhooks).length > 0) document.webhooks = webhooks;
  const components: JsonObject = {};
  if (definitions.length > 0) components.schemas = schemas;
  if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes;
  if (Object.keys(components).length > 0) document.components = components;
  const unexportedConfigs = input.authSchemeConfigs.filter((c) => c.schemeType === 'none' || c.schemeType === 'hmac');
  if (unexportedConfigs.length > 0) document['x-connect-auth-scheme-configs'] = unexportedConfigs;
  if (unexported.length > 0) document['x-connect-unexported'] = unexported;
  const dangling = withoutDanglingRefs(document);
  if (dangling > 0) document['x-connect-unresolved-refs'] = dangling;
  return document;
}
