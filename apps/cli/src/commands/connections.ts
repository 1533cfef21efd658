import type { RouterOutputs } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { UsageError } from '../errors';
import { isObject, readDataFile } from '../input';
import { note, notePage, printDetails, printTable, when } from '../output';
import { readList } from '../paging';
import { withPaging, type PagingOptions } from '../target';

type Connection = RouterOutputs['connections']['get'];

/** A connection for people: its credentials by use, scheme and type (the API never returns secrets). */
function printConnection(connection: Connection): void {
  printDetails([
    ['id', connection.id],
    ['name', connection.name],
    ['variables', connection.variables.map((v) => `${v.name}=${v.value}`).join(', ')],
    ['created', when(connection.createdAt)],
    ['updated', when(connection.updatedAt)],
  ]);
  const credentials = (['action', 'trigger'] as const).flatMap((use) =>
    connection.credentials[use].map((c) => [
      use,
      c.id,
      c.authSchemeConfig.schemeType,
      c.credential.type,
      c.credential.name,
    ]),
  );
  if (credentials.length > 0) printTable(['use', 'id', 'scheme', 'type', 'name'], credentials);
}

export function connectionsCommand(program: Command): void {
  const connections = program
    .command('connections')
    .description('connections of a connector: credentials (write-only) and variables');

  withPaging(connections.command('list').description('list a connector’s connections, most recently updated first'))
    .argument('<connector>', 'the connector id')
    .action(async (connectorId: string, options: PagingOptions, command: Command) => {
      const ctx = contextOf(command);
      const { page, all } = await readList('items', options, (query) =>
        ctx.call('Listing connections', (client) => client.connections.list.query({ connectorId, ...query })),
      );
      ctx.show(page, () => {
        printTable(
          ['id', 'name', 'updated'],
          page.items.map((c) => [c.id, c.name, when(c.updatedAt)]),
        );
        notePage(page, page.items.length, all);
      });
    });

  connections
    .command('create')
    .description('create a connection from a file (ConnectionCreate as JSON or YAML; secrets stay out of the shell)')
    .argument('<connector>', 'the connector id')
    .requiredOption(
      '-f, --file <path>',
      'the connection: { name, credentials: { action, trigger }, variables } (- reads stdin)',
    )
    .action(async (connectorId: string, options: { file: string }, command: Command) => {
      const ctx = contextOf(command);
      const content = await readDataFile(options.file);
      if (!isObject(content)) throw new UsageError(`${options.file} must hold one connection (an object)`);
      const created = await ctx.call('Creating the connection', (client) =>
        // The API validates the body; the CLI passes it on as written.
        client.connections.create.mutate({ ...(content as { name: string }), connectorId }),
      );
      ctx.show(created, () => {
        printConnection(created);
        note('secrets were stored encrypted and are never shown again');
      });
    });

  connections
    .command('get')
    .description('show a connection (its secrets are never returned)')
    .argument('<connector>', 'the connector id')
    .argument('<connection>', 'the connection id')
    .action(async (connectorId: string, connectionId: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const connection = await ctx.call('Reading the connection', (client) =>
        client.connections.get.query({ connectorId, connectionId }),
      );
      ctx.show(connection, () => {
        printConnection(connection);
      });
    });

  connections
    .command('delete')
    .description('delete a connection and its credentials')
    .argument('<connector>', 'the connector id')
    .argument('<connection>', 'the connection id')
    .action(async (connectorId: string, connectionId: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      await ctx.call('Deleting the connection', (client) =>
        client.connections.delete.mutate({ connectorId, connectionId }),
      );
      if (!ctx.json) note(`deleted connection ${connectionId}`);
    });
}
