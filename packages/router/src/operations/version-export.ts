import type { ActionCreate, ConnectorVersionGetInput, TriggerCreate } from '@connect/contracts';
import { readVersionExport, type VersionExportRow } from '@connect/db';
import { exportOpenApi, type ExportedVersion, type JsonObject } from '@connect/openapi-export';
import { notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';

/** A version's OpenAPI document, its JSON text, and what the HTTP layer caches and tags it by. */
export interface VersionExport {
  document: JsonObject;
  /** The document as JSON text: what is hashed, served and cached. */
  json: string;
  /** Strong entity tag: the first 32 hex digits of the SHA-256 of `json`. */
  etag: string;
  /** The version's name (the selector may be `latest` or `default`). */
  versionName: string;
  /** Published versions are immutable, so their documents may be kept. */
  published: boolean;
}

// A definition's `url` (…/schemas/{connector}/{version}/{id}[.ext][#pointer]), the other form a
// stored schema may link a definition by.
const urlRef = /\/schemas\/[^/?#]+\/[^/?#]+\/([0-9A-HJKMNP-TV-Z]{26})(?:\.[A-Za-z0-9]+)?(#.*)?$/;

/** A schema's links by `url` written `#/$defs/{name}`, the form the export maps to components. */
function namedLinks(content: string, names: Map<string, string>): string {
  if (!content.includes('/schemas/')) return content;
  return content.replace(/"\$ref"\s*:\s*"([^"\\]*)"/g, (whole, ref: string) => {
    const match = urlRef.exec(ref);
    const name = match ? names.get(match[1] ?? '') : undefined;
    if (name === undefined) return whole;
    const pointer = (match?.[2] ?? '').replace(/^#\/?/, '');
    return `"$ref":${JSON.stringify(`#/$defs/${name}${pointer === '' ? '' : `/${pointer}`}`)}`;
  });
}

const linksOf = (names: string[]) => names.map((name) => ({ definition: { name } }));

type Row = VersionExportRow['actions'][number];
type ParametersOf<T extends { parameters: unknown }> = T['parameters'];

/** What actions and triggers share, links by definition name. */
function operationOf(op: Row) {
  return {
    type: 'http' as const,
    name: op.name,
    summary: op.summary,
    description: op.description,
    method: op.method as ActionCreate['method'],
    requestBody: op.requestBody
      ? { required: op.requestBody.required, definitions: linksOf(op.requestBody.definitions) }
      : undefined,
    responses: op.responses.map((r) => ({ status: r.status, definitions: linksOf(r.definitions) })),
  };
}

/** The row of `readVersionExport` as the export package reads a version. */
export function exportedVersion(row: VersionExportRow): ExportedVersion {
  const names = new Map(row.definitions.map((d) => [d.id, d.name]));
  return {
    connector: { name: row.connector.name, baseUrl: row.connector.baseUrl },
    version: { name: row.version.name, description: row.version.description, publishedAt: row.version.publishedAt },
    // Parameters are stored as their contract wrote them: an action's in any place, a trigger's never in the path.
    actions: row.actions.map((a) => ({
      ...operationOf(a),
      path: a.path ?? '',
      parameters: a.parameters as ParametersOf<ActionCreate>,
    })),
    triggers: row.triggers.map((t) => ({ ...operationOf(t), parameters: t.parameters as ParametersOf<TriggerCreate> })),
    definitions: row.definitions.map((d) => ({
      name: d.name,
      accept: d.accept,
      description: d.description,
      schema: { contentType: d.contentType, content: namedLinks(d.content, names) },
    })),
    authSchemeConfigs: row.connector.authSchemeConfigs,
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * A version (a name, `latest` or `default`) as an OpenAPI 3.1 document: read in one statement,
 * mapped in the Worker by `@connect/openapi-export`.
 */
export async function exportConnectorVersion(
  ctx: OperationContext,
  input: ConnectorVersionGetInput,
): Promise<VersionExport> {
  const found = await readVersionExport(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (!found.ok) throw notFound(found.reason === 'connector_not_found' ? 'connector' : 'connector version');
  if (ctx.versionNotice) ctx.versionNotice.deprecation = found.value.deprecation;
  const document = exportOpenApi(exportedVersion(found.value));
  const json = JSON.stringify(document);
  return {
    document,
    json,
    etag: (await sha256Hex(json)).slice(0, 32),
    versionName: found.value.version.name,
    published: found.value.version.publishedAt !== null,
  };
}
