import type {
  ConnectorVersionGetInput,
  Definition,
  DefinitionDeleteInput,
  DefinitionGetInput,
  ChildListInput,
  DefinitionPage,
  Definitions,
  DefinitionsCreateInput,
  DefinitionsDeleteInput,
  DefinitionUpdateInput,
} from '@connect/contracts';
import {
  childCursorScope,
  createDefinitions as insertDefinitions,
  deleteDefinitions as removeDefinitions,
  getDefinition as findDefinition,
  getRawSchema as findRawSchema,
  listDefinitions as findDefinitions,
  updateDefinition as changeDefinition,
  exceededQuota,
  type FieldProblem,
  type Tagged,
} from '@connect/db';
import { ApiError, notFound, quotaExceeded } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { pageRequest } from './paging.js';
import { schemaRefs, servedSchema, type RefScope } from './schema-refs.js';
import { servedContentType } from './served-content-type.js';
import { versionRefusal, versionTarget } from './version-target.js';

const refScope = (ctx: OperationContext, at: { connectorId: string; version: string }): RefScope => ({
  organisationId: ctx.organisationId,
  connectorId: at.connectorId,
  version: at.version,
});

const definitionMissing = (name: string) => notFound(`definition "${name}"`);

const invalid = (message: string, fields: FieldProblem[]) => new ApiError('invalid_argument', message, fields);

export async function listVersionDefinitions(ctx: OperationContext, input: ChildListInput): Promise<DefinitionPage> {
  const page = await findDefinitions(ctx.db, versionTarget(ctx, input), {
    page: pageRequest(input, childCursorScope('definitions', input.connectorId, input.version)),
    scope: childCursorScope('definitions', input.connectorId, input.version),
    name: input.name,
  });
  if (!page.ok) throw versionRefusal(page.reason);
  const { items, ...info } = page.value;
  return { ...info, definitions: items };
}

export async function getVersionDefinition(ctx: OperationContext, input: DefinitionGetInput): Promise<Definition> {
  return (await getTaggedDefinition(ctx, input)).body;
}

/** The definition with its entity tag (REST's `ETag`). */
export async function getTaggedDefinition(
  ctx: OperationContext,
  input: DefinitionGetInput,
): Promise<Tagged<Definition>> {
  const found = await findDefinition(ctx.db, versionTarget(ctx, input), input.definitionName);
  if (found.ok) return found.value;
  if (found.reason === 'definition_not_found') throw definitionMissing(input.definitionName);
  throw versionRefusal(found.reason);
}

/**
 * GetRawSchema: a definition's schema by the file name its `url` ends with, with its links to other
 * definitions written as their URLs (see `servedSchema`), and the content type to serve it as
 * (see `servedContentType`).
 */
export async function getRawSchema(
  ctx: OperationContext,
  input: ConnectorVersionGetInput & { definitionId: string },
): Promise<{ contentType: string; content: string }> {
  const found = await findRawSchema(ctx.db, versionTarget(ctx, input), input.definitionId);
  if (!found.ok) throw found.reason === 'definition_not_found' ? notFound('schema') : versionRefusal(found.reason);
  return { contentType: servedContentType(found.value.contentType), content: servedSchema(found.value) };
}

/** CreateDefinitions: every definition of the request, or none. */
export async function createVersionDefinitions(
  ctx: OperationContext,
  input: DefinitionsCreateInput,
): Promise<Definitions> {
  const items = input.definitions.map((definition, index) => ({
    ...definition,
    refs: schemaRefs(definition.schema, `definitions[${String(index)}].schema.content`, refScope(ctx, input)),
  }));
  const result = await insertDefinitions(ctx.db, versionTarget(ctx, input), items, ctx.limits);
  if (!result.ok) throw versionRefusal(result.reason);
  const { row, read } = result.value;
  if (row.taken.length > 0)
    throw new ApiError('already_exists', 'a definition of this name already exists in this version', row.taken);
  if (row.unresolved.length > 0) throw invalid('a schema refers to a definition that does not exist', row.unresolved);
  const exceeded = exceededQuota(ctx.limits, row.quota);
  if (exceeded) throw quotaExceeded(exceeded);
  return { definitions: read ?? [] };
}

/** UpdateDefinition: its media types, description and (when sent) schema. */
export async function updateVersionDefinition(
  ctx: OperationContext,
  input: DefinitionUpdateInput,
): Promise<Definition> {
  return (await updateTaggedDefinition(ctx, input)).body;
}

/** UpdateDefinition; `ifMatch` (entity tags, comma-separated) makes it conditional. Answers the new tag with it. */
export async function updateTaggedDefinition(
  ctx: OperationContext,
  input: DefinitionUpdateInput,
  ifMatch?: string,
): Promise<Tagged<Definition>> {
  const { connectorId, version, definitionName, name, schema, ...rest } = input;
  const result = await changeDefinition(
    ctx.db,
    versionTarget(ctx, { connectorId, version }),
    definitionName,
    {
      ...rest,
      newName: name,
      schema: schema && {
        ...schema,
        refs: schemaRefs(schema, 'schema.content', refScope(ctx, { connectorId, version })),
      },
    },
    ctx.limits,
    ifMatch,
  );
  if (!result.ok) throw versionRefusal(result.reason);
  const { row, read, etag } = result.value;
  if (!row.found) throw definitionMissing(definitionName);
  if (row.problems.length > 0) throw invalid('the definition cannot be changed this way', row.problems);
  const exceeded = exceededQuota(ctx.limits, row.quota);
  if (exceeded) throw quotaExceeded(exceeded);
  if (!read || etag === null) throw definitionMissing(definitionName);
  return { body: read, etag };
}

/** DeleteDefinitions (bulk) and DeleteDefinition (one, by name, optionally conditional). */
export async function deleteVersionDefinitions(
  ctx: OperationContext,
  input: DefinitionsDeleteInput,
  condition?: { name: string; ifMatch: string | undefined },
): Promise<void> {
  const { connectorId, version, ...which } = input;
  const result = await removeDefinitions(ctx.db, versionTarget(ctx, { connectorId, version }), which, condition);
  if (!result.ok) throw versionRefusal(result.reason);
  const { missing, in_use: inUse } = result.value.row;
  if (missing.length > 0) throw invalid('the request names definitions that cannot be deleted', missing);
  // With force the delete went ahead: the links it cut are the referrers' `errors` now.
  if (inUse.length > 0 && input.force !== true) {
    const error = new ApiError(
      'failed_precondition',
      `${inUse.map((d) => `"${d.name}"`).join(', ')} ${inUse.length === 1 ? 'is' : 'are'} still referred to by ${inUse
        .flatMap((d) => d.referencedBy.map((r) => `${r.type} "${r.name}"`))
        .filter((text, index, all) => all.indexOf(text) === index)
        .join(', ')}; change or delete those first`,
    );
    error.inUse = inUse;
    throw error;
  }
}

/** DeleteDefinition; `ifMatch` (entity tags, comma-separated) makes it conditional. */
export async function deleteVersionDefinition(
  ctx: OperationContext,
  input: DefinitionDeleteInput,
  ifMatch?: string,
): Promise<void> {
  const { definitionName, ...target } = input;
  try {
    await deleteVersionDefinitions(ctx, { ...target, names: [definitionName] }, { name: definitionName, ifMatch });
  } catch (error) {
    // One definition by its path: a name that is not there is a missing resource, not a bad body.
    if (error instanceof ApiError && error.code === 'invalid_argument') throw definitionMissing(definitionName);
    throw error;
  }
}
