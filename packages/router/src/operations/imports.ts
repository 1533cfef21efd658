import {
  httpConnectorCreate,
  versionName as versionNameSchema,
  type ImportConnectorInput,
  type ImportHttpConnectorResult,
  type ImportVersionInput,
  type ValidationMessage,
} from '@connect/contracts';
import { importVersion, newUlid, type ImportedVersion, type ImportVersionResult } from '@connect/db';
import {
  importOpenApiText,
  syntaxOf,
  type ImportMapping,
  type Problem,
  type SpecVersion,
} from '@connect/openapi-import';
import { ApiError, invalidArgument, notFound, quotaExceeded } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { versionRows, type VersionRows } from '../import/version-rows.js';

// ImportHTTPConnector and ImportHTTPConnectorVersion: read the document (inline or by URL), map it
// (@connect/openapi-import), check the version's quotas (it is new, so they depend on the document
// alone) and write everything in one round trip (`importVersion`).

const connectorFields = httpConnectorCreate.shape;

/** Where the document came from, for the field a refusal names: the upload's part, the inline text or the URL. */
export type DocumentField = 'file' | 'document' | 'schemaURL';

/** The answer's lists are bounded so that it stays under the database driver's 10 MiB response cap. */
const answerBudgetBytes = { definitions: 3 * 1024 * 1024, actions: 2 * 1024 * 1024, triggers: 1024 * 1024 };

/** The most field entries a refused document lists (its `messages` say how many problems there were). */
const maxFields = 50;

interface DocumentText {
  text: string;
  syntax: 'json' | 'yaml' | undefined;
  field: DocumentField;
}

/** The document's text, from the request or read through the deployment's document source. */
async function documentText(
  ctx: OperationContext,
  input: { document?: string | undefined; schemaURL?: string | undefined; filetype?: 'json' | 'yaml' | undefined },
  field: DocumentField,
): Promise<DocumentText> {
  if (input.document !== undefined) return { text: input.document, syntax: input.filetype, field };
  const url = input.schemaURL ?? '';
  if (!ctx.importDocuments) throw invalidArgument('schemaURL', 'importing from a URL is not available here');
  const read = await ctx.importDocuments.read(url);
  return { text: read.text, syntax: input.filetype ?? syntaxOf(read.contentType), field: 'schemaURL' };
}

/** A document that cannot be imported: 400, each problem a field entry and a message at its JSON Pointer. */
function refusedDocument(field: DocumentField, problems: Problem[]): ApiError {
  const error = new ApiError(
    'invalid_argument',
    `the document cannot be imported: ${String(problems.length)} problem${problems.length === 1 ? '' : 's'}`,
    problems.slice(0, maxFields).map((problem) => ({
      field,
      message: `${problem.pointer === '' ? '(the document)' : problem.pointer}: ${problem.message}`,
    })),
  );
  error.messages = problems.map((problem) => ({
    text: `${problem.pointer === '' ? '(the document)' : problem.pointer}: ${problem.message}`,
    severity: 'error',
    detail: [problem.pointer],
  }));
  return error;
}

type Mapped = ImportMapping & { writtenIn: SpecVersion; title: string | undefined; infoVersion: string | undefined };

function mapDocument(ctx: OperationContext, source: DocumentText): Mapped {
  const result = importOpenApiText(source.text, { syntax: source.syntax, maxBytes: ctx.limits.importDocumentBytes });
  if ('problems' in result) throw refusedDocument(source.field, result.problems);
  return result;
}

/** UTF-8 bytes of a text. */
const utf8Bytes = (text: string) => new TextEncoder().encode(text).byteLength;

/** The per-version quotas, checked before writing: a new version's children are the import's alone. */
function checkVersionQuotas(ctx: OperationContext, rows: VersionRows): void {
  const children = rows.definitions.length + rows.actions.length + rows.triggers.length;
  if (children > ctx.limits.childrenPerVersion) {
    throw quotaExceeded({ name: 'childrenPerVersion', value: ctx.limits.childrenPerVersion });
  }
  let total = 0;
  for (const definition of rows.definitions) {
    const bytes = utf8Bytes(definition.content);
    if (bytes > ctx.limits.schemaBytes) throw quotaExceeded({ name: 'schemaBytes', value: ctx.limits.schemaBytes });
    total += bytes;
  }
  if (total > ctx.limits.versionBytes) throw quotaExceeded({ name: 'versionBytes', value: ctx.limits.versionBytes });
}

/** What was left out of the version, as the answer's messages. */
function mappingMessages(mapped: Mapped): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  if (mapped.writtenIn === '2.0') {
    messages.push({
      text: 'the document is Swagger 2.0: it was converted to OpenAPI 3.0, and pointers below are into the converted document',
      severity: 'info',
    });
  }
  for (const entry of mapped.unmapped) {
    messages.push({
      text: `${entry.pointer}: ${entry.reason}`,
      // Text cut or cleaned is still imported; anything else is left out of the version.
      severity: /^cut /.test(entry.reason) ? 'info' : 'warning',
      detail: [entry.pointer],
    });
  }
  return messages;
}

/** The answer, with a message for each list the answer's size bound cut short. */
function importAnswer(written: ImportedVersion, messages: ValidationMessage[]): ImportHttpConnectorResult {
  const shortened = (kind: string, list: { items: unknown[]; total: number }) =>
    list.items.length < list.total
      ? [
          {
            text: `the answer lists ${String(list.items.length)} of the version's ${String(list.total)} ${kind}: list them all with the version's ${kind} route`,
            severity: 'info' as const,
          },
        ]
      : [];
  return {
    connector: written.connector,
    definitions: written.definitions.items,
    actions: written.actions.items,
    triggers: written.triggers.items,
    messages: [
      ...messages,
      ...shortened('definitions', written.definitions),
      ...shortened('actions', written.actions),
      ...shortened('triggers', written.triggers),
    ],
  };
}

function refusal(result: Exclude<ImportVersionResult, { ok: true }>, version: string): ApiError {
  switch (result.reason) {
    case 'connector_not_found':
      return notFound('connector');
    case 'quota_exceeded':
      if (!result.quota) return new ApiError('internal', 'a quota refusal without its quota');
      return quotaExceeded(result.quota);
    case 'name_taken':
      return new ApiError('already_exists', `version "${version}" already exists in this connector`, [
        { field: 'version', message: 'is already used by another version of this connector' },
      ]);
  }
}

const schemaBase = (ctx: OperationContext, connectorId: string) =>
  `${ctx.restBase}/o/${ctx.organisationId}/schemas/${connectorId}/`;

/** ImportHTTPConnector: a new connector and its first draft version, made from the document. */
export async function importHttpConnector(
  ctx: OperationContext,
  input: ImportConnectorInput,
  field: DocumentField = 'document',
): Promise<ImportHttpConnectorResult> {
  const mapped = mapDocument(ctx, await documentText(ctx, input, field));
  // What the document gives is checked as the connector create checks a name and a base URL: a
  // title may hold characters no name may (a NUL), a server URL may be relative.
  const name = connectorFields.name.safeParse(input.name ?? mapped.title?.slice(0, 200) ?? '');
  if (!name.success) {
    throw invalidArgument('name', "the document's info.title cannot name a connector: give the connector a name");
  }
  const baseUrl = connectorFields.baseUrl.safeParse(input.baseUrl ?? mapped.baseUrl ?? '');
  if (!baseUrl.success) {
    throw invalidArgument('baseUrl', "the document's servers[0] is no http(s) URL: give the connector a baseUrl");
  }
  const versionName = input.version ?? mapped.infoVersion ?? '';
  if (!versionNameSchema.safeParse(versionName).success) {
    throw invalidArgument(
      'version',
      `the document's info.version is no version name: give the name of the version to create`,
    );
  }
  const rows = versionRows(mapped);
  checkVersionQuotas(ctx, rows);
  const connectorId = newUlid();
  const result = await importVersion(ctx.db, {
    organisationId: ctx.organisationId,
    connector: {
      create: { id: connectorId, name: name.data, baseUrl: baseUrl.data, authSchemeConfigs: mapped.authSchemeConfigs },
    },
    version: { name: versionName, description: '' },
    ...rows,
    schemaBase: schemaBase(ctx, connectorId),
    answerBudgetBytes,
    quotas: ctx.limits,
  });
  if (!result.ok) throw refusal(result, versionName);
  return importAnswer(result.value, [...mappingMessages(mapped), ...rows.messages]);
}

/** ImportHTTPConnectorVersion: a new draft version of an existing connector, made from the document. */
export async function importHttpConnectorVersion(
  ctx: OperationContext,
  input: ImportVersionInput,
  field: DocumentField = 'document',
): Promise<ImportHttpConnectorResult> {
  const mapped = mapDocument(ctx, await documentText(ctx, input, field));
  const rows = versionRows(mapped);
  checkVersionQuotas(ctx, rows);
  const result = await importVersion(ctx.db, {
    organisationId: ctx.organisationId,
    connector: { id: input.connectorId },
    version: { name: input.version, description: '' },
    ...rows,
    schemaBase: schemaBase(ctx, input.connectorId),
    answerBudgetBytes,
    quotas: ctx.limits,
  });
  if (!result.ok) throw refusal(result, input.version);
  // The connector's base URL and auth scheme configs are the connector's, shared by its versions.
  const kept: ValidationMessage[] = [
    ...(mapped.baseUrl !== undefined && mapped.baseUrl !== result.value.connector.baseUrl
      ? [
          {
            text: `servers[0] (${mapped.baseUrl}) is not the connector's baseUrl, which a version import leaves as it is`,
            severity: 'warning' as const,
          },
        ]
      : []),
    ...mapped.authSchemeConfigs.map((config) => ({
      text: `security scheme "${config.id}" was not added: a version import leaves the connector's auth scheme configs as they are`,
      severity: 'warning' as const,
    })),
  ];
  return importAnswer(result.value, [...mappingMessages(mapped), ...rows.messages, ...kept]);
}
