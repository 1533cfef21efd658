import type { ActionCreate, AuthSchemeConfig, DefinitionCreate, TriggerCreate } from '@connect/contracts';

/**
 * A connector version as the export reads it: the bodies that would create its children (links to
 * definitions by name, as `importOpenApi` writes them), with the connector fields the document's
 * `info`, `servers` and `securitySchemes` come from.
 */
export interface ExportedVersion {
  connector: { name: string; description?: string | undefined; baseUrl?: string | undefined };
  version: { name: string; description?: string | undefined; publishedAt?: string | null | undefined };
  actions: ActionCreate[];
  triggers: TriggerCreate[];
  definitions: DefinitionCreate[];
  authSchemeConfigs: AuthSchemeConfig[];
}

/** Something of the version the document cannot hold as an OpenAPI element, listed in `x-connect-unexported`. */
export interface Unexported {
  kind: 'action' | 'trigger' | 'definition' | 'authSchemeConfig' | 'link';
  name: string;
  reason: string;
}

/** A JSON object of the document being written. */
export type JsonObject = Record<string, unknown>;
