import type { RouterOutputs } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { UsageError } from '../errors';
import { isObject, readDataFile } from '../input';
import { note, notePage, printDetails, printLine, printTable, when } from '../output';
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
      c.credential.expiresAt === undefined ? '' : when(c.credential.expiresAt),
    ]),
  );
  if (credentials.length > 0) printTable(['use', 'id', 'scheme', 'type', 'name', 'expires'], credentials);
}

/** The OAuth 2.0 client credential of a connection: the one named, else its first. */
function oauth2ClientOf(connection: Connection, credentialId: string | undefined) {
  const clients = [...connection.credentials.action, ...connection.credentials.trigger].filter(
    (c) => c.credential.type === 'oauth2-client' && (credentialId === undefined || c.credential.id === credentialId),
  );
  const [client] = clients;
  if (!client) {
    throw new UsageError(
      credentialId === undefined
        ? 'the connection has no oauth2-client credential'
        : `the connection has no oauth2-client credential ${credentialId}`,
    );
  }
  return client;
}

/** `connect connections oauth2 …`: the authorization-code flow's start, and a refresh now. */
function oauth2Commands(connections: Command): void {
  const oauth2 = connections.command('oauth2').description('OAuth 2.0: start the authorization flow, refresh tokens');

  oauth2
    .command('initialise')
    .alias('initialize')
    .description('print the provider’s authorize URL for the user to open (the redirect stores the tokens)')
    .argument('<connector>', 'the connector id')
    .argument('<connection>', 'the connection id')
    .option('--credential <id>', 'the oauth2-client credential (default: the connection’s first)')
    .option('--scope <scope...>', 'scopes to ask for (default: the credential’s, else the scheme’s default scopes)')
    .option('--prompt <prompt>', 'the prompt parameter, e.g. consent or consent+select_account (default: login)')
    .option('--no-offline-access', 'do not add the offline_access scope')
    .option('--params <query>', 'more authorize parameters, URL-encoded (a=1&b=2)')
    .action(
      async (
        connectorId: string,
        connectionId: string,
        options: { credential?: string; scope?: string[]; prompt?: string; offlineAccess: boolean; params?: string },
        command: Command,
      ) => {
        const ctx = contextOf(command);
        const connection = await ctx.call('Reading the connection', (client) =>
          client.connections.get.query({ connectorId, connectionId }),
        );
        const client = oauth2ClientOf(connection, options.credential);
        const data = client.credential.data;
        const config = client.authSchemeConfig;
        const authorizeUrl =
          typeof data.authorizeUrl === 'string' && data.authorizeUrl !== ''
            ? data.authorizeUrl
            : config.schemeType === 'oauth2'
              ? config.authorizeUrl
              : '';
        const started = await ctx.call('Starting the OAuth 2.0 flow', (api) =>
          api.oauth2.initialise.mutate({
            connectorId,
            credential: { id: client.credential.id, organisationId: client.credential.organisationId },
            authorizeUrl,
            clientId: typeof data.clientId === 'string' ? data.clientId : '',
            ...(options.scope ? { scopes: options.scope } : {}),
            ...(options.prompt === undefined ? {} : { prompt: options.prompt }),
            disableOfflineAccess: !options.offlineAccess,
            ...(options.params === undefined ? {} : { additionalParams: options.params }),
          }),
        );
        ctx.show(started, () => {
          printLine(started.url);
          note(
            'open it in a browser within 10 minutes; the provider sends the user back to the API, which stores the tokens',
          );
        });
      },
    );

  oauth2
    .command('refresh')
    .description('renew the connection’s OAuth 2.0 tokens now (refresh token, or a new client-credentials grant)')
    .argument('<connector>', 'the connector id')
    .argument('<connection>', 'the connection id')
    .action(async (connectorId: string, connectionId: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command);
      const connection = await ctx.call('Refreshing the tokens', (client) =>
        client.oauth2.refresh.mutate({ connectorId, connectionId }),
      );
      ctx.show(connection, () => {
        printConnection(connection);
        note('tokens renewed; they are stored encrypted and never shown');
      });
    });
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

  oauth2Commands(connections);
}
