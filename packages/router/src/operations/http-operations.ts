import type {
  Action,
  ActionCreate,
  ActionGetInput,
  ActionPage,
  ConnectorVersionGetInput,
  DefinitionRef,
  ChildListInput,
  Trigger,
  TriggerCreate,
  TriggerGetInput,
  TriggerPage,
} from '@connect/contracts';
import {
  childCursorScope,
  createOperation,
  deleteOperation,
  exceededQuota,
  getOperation,
  listOperations,
  updateOperation,
  type DefinitionLink,
  type OperationInput,
  type OperationKind,
  type Tagged,
} from '@connect/db';
import { ApiError, notFound, quotaExceeded } from '../api-error.js';
import type { OperationContext } from '../context.js';
import { pageRequest } from './paging.js';
import { versionRefusal, versionTarget } from './version-target.js';

// Actions and triggers are handled alike; each kind gets its own named operations below so the
// REST routes and tRPC procedures are typed by what they return.

type Body = (ActionCreate | TriggerCreate) & { id?: string | undefined };

/** A link by id when the caller gave one (a definition sent back whole has both), else by name. */
const linkOf = (ref: DefinitionRef): DefinitionLink =>
  ref.id !== undefined ? { id: ref.id } : { name: ref.name ?? '' };

function operationInput(body: Body): OperationInput & { id?: string | undefined } {
  return {
    ...(body.id === undefined ? {} : { id: body.id }),
    name: body.name,
    summary: body.summary ?? '',
    description: body.description ?? '',
    method: body.method,
    path: 'path' in body ? body.path : '',
    parameters: body.parameters,
    requestBody: body.requestBody
      ? {
          required: body.requestBody.required,
          definitions: body.requestBody.definitions.map((d) => linkOf(d.definition)),
        }
      : null,
    responses: body.responses.map((r) => ({
      status: r.status ?? null,
      definitions: r.definitions.map((d) => linkOf(d.definition)),
    })),
  };
}

function operationsOf<T extends Action | Trigger, Page>(kind: OperationKind, pageKey: 'actions' | 'triggers') {
  const missing = (name: string) => notFound(`${kind} "${name}"`);

  return {
    async list(ctx: OperationContext, input: ChildListInput): Promise<Page> {
      const scope = childCursorScope(pageKey, input.connectorId, input.version);
      const page = await listOperations(ctx.db, kind, versionTarget(ctx, input), {
        page: pageRequest(input, scope),
        scope,
        name: input.name,
      });
      if (!page.ok) throw versionRefusal(page.reason);
      const { items, ...info } = page.value;
      return { ...info, [pageKey]: items } as Page;
    },

    async get(ctx: OperationContext, input: ConnectorVersionGetInput, name: string): Promise<T> {
      return (await this.getTagged(ctx, input, name)).body;
    },

    /** The operation with its entity tag (REST's `ETag`). */
    async getTagged(ctx: OperationContext, input: ConnectorVersionGetInput, name: string): Promise<Tagged<T>> {
      const found = await getOperation(ctx.db, kind, versionTarget(ctx, input), name);
      if (found.ok) return found.value as Tagged<T>;
      if (found.reason === 'operation_not_found') throw missing(name);
      throw versionRefusal(found.reason);
    },

    async create(ctx: OperationContext, input: ConnectorVersionGetInput & Body): Promise<T> {
      const result = await createOperation(ctx.db, kind, versionTarget(ctx, input), operationInput(input), ctx.limits);
      if (!result.ok) throw versionRefusal(result.reason);
      const { row, read } = result.value;
      if (row.taken) {
        throw new ApiError('already_exists', `${kind} "${input.name}" already exists in this version`, [
          { field: 'name', message: `is already used by another ${kind} of this version` },
        ]);
      }
      if (row.problems.length > 0) {
        throw new ApiError('invalid_argument', `the ${kind} links definitions it cannot`, row.problems);
      }
      const exceeded = exceededQuota(ctx.limits, row.quota);
      if (exceeded) throw quotaExceeded(exceeded);
      if (!read) throw new Error(`the created ${kind} could not be read back`);
      return read as T;
    },

    /**
     * Replaces the operation named `name` with `input` (whose name, if sent, must be the same);
     * `ifMatch` (entity tags, comma-separated) makes it conditional. Answers the new tag with it.
     */
    async update(
      ctx: OperationContext,
      input: ConnectorVersionGetInput & Omit<Body, 'name'> & { name?: string | undefined },
      name: string,
      ifMatch?: string,
    ): Promise<Tagged<T>> {
      const body = operationInput({ ...input, name: input.name ?? name } as Body);
      const result = await updateOperation(ctx.db, kind, versionTarget(ctx, input), name, body, ifMatch);
      if (!result.ok) throw versionRefusal(result.reason);
      const { row, read, etag } = result.value;
      if (!row.found) throw missing(name);
      if (row.problems.length > 0) {
        throw new ApiError('invalid_argument', `the ${kind} cannot be changed this way`, row.problems);
      }
      if (!read || etag === null) throw missing(name);
      return { body: read as T, etag };
    },

    async delete(
      ctx: OperationContext,
      input: ConnectorVersionGetInput,
      name: string,
      ifMatch?: string,
    ): Promise<void> {
      const result = await deleteOperation(ctx.db, kind, versionTarget(ctx, input), name, ifMatch);
      if (!result.ok) throw versionRefusal(result.reason);
      if (!result.value.row.deleted) throw missing(name);
    },
  };
}

const actions = operationsOf<Action, ActionPage>('action', 'actions');
const triggers = operationsOf<Trigger, TriggerPage>('trigger', 'triggers');

type ActionBody = ConnectorVersionGetInput &
  Omit<ActionCreate, 'name'> & { id?: string | undefined; name?: string | undefined };
type TriggerBody = ConnectorVersionGetInput &
  Omit<TriggerCreate, 'name'> & { id?: string | undefined; name?: string | undefined };

export const listActions = (ctx: OperationContext, input: ChildListInput) => actions.list(ctx, input);
export const getAction = (ctx: OperationContext, input: ActionGetInput) => actions.get(ctx, input, input.actionName);
export const getTaggedAction = (ctx: OperationContext, input: ActionGetInput) =>
  actions.getTagged(ctx, input, input.actionName);
export const createAction = (ctx: OperationContext, input: ConnectorVersionGetInput & ActionCreate) =>
  actions.create(ctx, input);
export const updateAction = async (ctx: OperationContext, input: ActionBody & { actionName: string }) =>
  (await actions.update(ctx, input, input.actionName)).body;
export const updateTaggedAction = (
  ctx: OperationContext,
  input: ActionBody & { actionName: string },
  ifMatch?: string,
) => actions.update(ctx, input, input.actionName, ifMatch);
export const deleteAction = (ctx: OperationContext, input: ActionGetInput, ifMatch?: string) =>
  actions.delete(ctx, input, input.actionName, ifMatch);

export const listTriggers = (ctx: OperationContext, input: ChildListInput) => triggers.list(ctx, input);
export const getTrigger = (ctx: OperationContext, input: TriggerGetInput) =>
  triggers.get(ctx, input, input.triggerName);
export const getTaggedTrigger = (ctx: OperationContext, input: TriggerGetInput) =>
  triggers.getTagged(ctx, input, input.triggerName);
export const createTrigger = (ctx: OperationContext, input: ConnectorVersionGetInput & TriggerCreate) =>
  triggers.create(ctx, input);
export const updateTrigger = async (ctx: OperationContext, input: TriggerBody & { triggerName: string }) =>
  (await triggers.update(ctx, input, input.triggerName)).body;
export const updateTaggedTrigger = (
  ctx: OperationContext,
  input: TriggerBody & { triggerName: string },
  ifMatch?: string,
) => triggers.update(ctx, input, input.triggerName, ifMatch);
export const deleteTrigger = (ctx: OperationContext, input: TriggerGetInput, ifMatch?: string) =>
  triggers.delete(ctx, input, input.triggerName, ifMatch);
