import type { Action, ActionCreate, Client, Trigger, TriggerCreate } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { ifMatchOf, showTagged, withEtag, withIfMatch, type EtagOptions, type IfMatchOptions } from '../entity-tags';
import { childListCommand } from './version-children';
import { objectsOf, readDataFile, type DataObject } from '../input';
import { note, notePage, printDetails, printTable, when } from '../output';
import type { PageQuery } from '../paging';
import { targetCommand, targetOf, type TargetOptions } from '../target';

// Actions and triggers have one shape (a trigger has no path), so one set of commands serves both.

type Operation = Action | Trigger;
type Body = DataObject;

interface Scope {
  connectorId: string;
  version: string;
}

/** The client's procedures for one kind, under the same names, so the commands need no branches. */
interface Procedures<T extends Operation, K extends string> {
  list(
    input: Scope & PageQuery & { name?: string },
  ): Promise<{ totalCount: number; next?: string; prev?: string } & Record<K, T[]>>;
  get(input: Scope, name: string): Promise<{ body: T; etag: string }>;
  create(input: Scope, body: Body): Promise<T>;
  /** `condition` is `{ ifMatch }` or nothing: see `--if-match`. */
  update(input: Scope, name: string, body: Body, condition: { ifMatch?: string }): Promise<T>;
  delete(input: Scope, name: string, condition: { ifMatch?: string }): Promise<void>;
}

// The file's content is sent as it is and validated by the API; `type` defaults to "http", the
// only protocol, so files need not repeat it. The target comes last, so that a file cannot point
// the call at another version. The casts name the shape the API will check.
const withType = (body: Body): Body => ({ type: 'http', ...body });

const actionProcedures = (client: Client): Procedures<Action, 'actions'> => ({
  list: (input) => client.actions.list.query(input),
  get: (input, actionName) => client.actions.getTagged.query({ ...input, actionName }),
  create: (input, body) => client.actions.create.mutate({ ...(withType(body) as ActionCreate), ...input }),
  update: (input, actionName, body, condition) =>
    client.actions.update.mutate({
      ...(withType(body) as Omit<ActionCreate, 'name'>),
      ...input,
      actionName,
      ...condition,
    }),
  delete: (input, actionName, condition) => client.actions.delete.mutate({ ...input, actionName, ...condition }),
});

const triggerProcedures = (client: Client): Procedures<Trigger, 'triggers'> => ({
  list: (input) => client.triggers.list.query(input),
  get: (input, triggerName) => client.triggers.getTagged.query({ ...input, triggerName }),
  create: (input, body) => client.triggers.create.mutate({ ...(withType(body) as TriggerCreate), ...input }),
  update: (input, triggerName, body, condition) =>
    client.triggers.update.mutate({
      ...(withType(body) as Omit<TriggerCreate, 'name'>),
      ...input,
      triggerName,
      ...condition,
    }),
  delete: (input, triggerName, condition) => client.triggers.delete.mutate({ ...input, triggerName, ...condition }),
});

const links = (definitions: { definition: { name: string } }[]) =>
  definitions.map((link) => link.definition.name).join(', ');

const responsesOf = (operation: Operation) =>
  operation.responses.map((response) => {
    const status = response.status === undefined ? 'default' : String(response.status);
    return response.definitions.length > 0 ? `${status} → ${links(response.definitions)}` : status;
  });

/** `id (path, string, required)`: a parameter on one line. */
function describeParameter(parameter: Operation['parameters'][number]): string {
  const traits = [parameter.in, parameter.type];
  if (parameter.required) traits.push('required');
  if (parameter.default !== undefined) traits.push(`default ${String(parameter.default)}`);
  return `${parameter.name} (${traits.join(', ')})`;
}

/** `required: Order, Customer`: whether a body is needed, and the definitions it may follow. */
function describeBody(body: NonNullable<Operation['requestBody']>): string {
  const need = body.required ? 'required' : 'optional';
  return body.definitions.length > 0 ? `${need}: ${links(body.definitions)}` : need;
}

function printOperation(operation: Operation): void {
  printDetails([
    ['name', operation.name],
    ['id', operation.id],
    ['method', operation.method],
    ...('path' in operation ? [['path', operation.path] as [string, string]] : []),
    ['summary', operation.summary],
    ['description', operation.description],
    ['parameters', operation.parameters.map(describeParameter).join('\n')],
    ['request body', operation.requestBody ? describeBody(operation.requestBody) : ''],
    ['responses', responsesOf(operation).join('\n')],
    ['problems', operation.errors.map((error) => `${error.severity}: ${error.field}: ${error.message}`).join('\n')],
    ['created', when(operation.createdAt)],
    ['updated', when(operation.updatedAt)],
  ]);
}

function operationCommand<T extends Operation, K extends 'actions' | 'triggers'>(
  program: Command,
  kind: 'action' | 'trigger',
  key: K,
  procedures: (client: Client) => Procedures<T, K>,
): void {
  const group = program
    .command(key)
    .description(`${key} of a connector version (each command takes the connector id first, or --connector)`);

  childListCommand(
    group,
    key,
    (client, query) => procedures(client).list(query),
    (page, all) => {
      const items: T[] = page[key];
      printTable(
        ['name', 'method', ...(kind === 'action' ? ['path'] : []), 'summary', 'responses', 'problems'],
        items.map((operation) => [
          operation.name,
          operation.method,
          ...('path' in operation ? [operation.path] : []),
          operation.summary,
          responsesOf(operation).join('\n'),
          operation.errors.length,
        ]),
      );
      notePage(page, items.length, all);
    },
  );

  withEtag(targetCommand(group, 'get', `show one ${kind}`, ['version', kind])).action(
    async (args: string[], options: TargetOptions & EtagOptions, command: Command) => {
      const {
        connectorId,
        values: [version = '', name = ''],
      } = targetOf(args, options.connector, ['version', kind]);
      const ctx = contextOf(command);
      const found = await ctx.call(`Reading ${kind} ${name}`, (client) =>
        procedures(client).get({ connectorId, version }, name),
      );
      showTagged(ctx, found, options, printOperation);
    },
  );

  targetCommand(group, 'create', `create ${kind}s from a JSON or YAML file (one ${kind}, or a list)`, ['version'])
    .requiredOption('-f, --file <path>', `the ${kind} as JSON or YAML (- for stdin)`)
    .action(async (args: string[], options: TargetOptions & { file: string }, command: Command) => {
      const {
        connectorId,
        values: [version = ''],
      } = targetOf(args, options.connector, ['version']);
      const content = await readDataFile(options.file);
      const bodies = objectsOf(content, options.file, kind);
      const ctx = contextOf(command);
      const created: T[] = [];
      // One by one, in the file's order: each is its own request, and the first refusal stops the rest.
      for (const body of bodies) {
        const label = typeof body.name === 'string' ? `${kind} ${body.name}` : `the ${kind}`;
        created.push(
          await ctx.call(`Creating ${label}`, (client) => procedures(client).create({ connectorId, version }, body)),
        );
      }
      ctx.show(Array.isArray(content) ? created : created[0], () => {
        for (const operation of created) printOperation(operation);
        note(`created ${created.map((operation) => `${kind} ${operation.name}`).join(', ')}`);
      });
    });

  withIfMatch(
    targetCommand(group, 'update', `replace a ${kind} with the content of a JSON or YAML file`, ['version', kind]),
    `the ${kind}`,
  )
    .requiredOption('-f, --file <path>', `the whole ${kind} as JSON or YAML, e.g. edited from get --json (- for stdin)`)
    .action(async (args: string[], options: TargetOptions & IfMatchOptions & { file: string }, command: Command) => {
      const {
        connectorId,
        values: [version = '', name = ''],
      } = targetOf(args, options.connector, ['version', kind]);
      const [body] = objectsOf(await readDataFile(options.file), options.file, kind);
      const ctx = contextOf(command);
      const updated = await ctx.call(`Updating ${kind} ${name}`, (client) =>
        procedures(client).update({ connectorId, version }, name, body ?? {}, ifMatchOf(options)),
      );
      ctx.show(updated, printOperation);
    });

  withIfMatch(targetCommand(group, 'delete', `delete a ${kind}`, ['version', kind]), `the ${kind}`).action(
    async (args: string[], options: TargetOptions & IfMatchOptions, command: Command) => {
      const {
        connectorId,
        values: [version = '', name = ''],
      } = targetOf(args, options.connector, ['version', kind]);
      const ctx = contextOf(command);
      await ctx.call(`Deleting ${kind} ${name}`, (client) =>
        procedures(client).delete({ connectorId, version }, name, ifMatchOf(options)),
      );
      if (!ctx.json) note(`deleted ${kind} ${name}`);
    },
  );
}

export function actionsCommand(program: Command): void {
  operationCommand(program, 'action', 'actions', actionProcedures);
}

export function triggersCommand(program: Command): void {
  operationCommand(program, 'trigger', 'triggers', triggerProcedures);
}
