import type { RouterOutputs } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { note, notePage, printDetails, printTable, when } from '../output';
import { readList } from '../paging';
import { withPaging, type PagingOptions } from '../target';

type ApiKey = RouterOutputs['apiKeys']['list']['items'][number];

// API keys are managed by the organisation's people, never by another key: these commands call
// with an id_token (--token, CONNECT_TOKEN, or the one `pnpm dev` saved), and the API refuses a key.
const asUser = { preferToken: true };

const stateOf = (key: ApiKey) =>
  key.revokedAt !== null
    ? `revoked ${when(key.revokedAt)}`
    : key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now()
      ? `expired ${when(key.expiresAt)}`
      : 'active';

export function apiKeysCommand(program: Command): void {
  const keys = program
    .command('api-keys')
    .description('API keys of the organisation (managed with an id_token: --token, CONNECT_TOKEN or pnpm dev’s)');

  withPaging(keys.command('list').description('list the keys, newest first (never their secrets)')).action(
    async (options: PagingOptions, command: Command) => {
      const ctx = contextOf(command, asUser);
      const { page, all } = await readList('items', options, (query) =>
        ctx.call('Listing API keys', (client) => client.apiKeys.list.query(query)),
      );
      ctx.show(page, () => {
        printTable(
          ['id', 'name', 'prefix', 'state', 'created', 'last used'],
          page.items.map((key) => [
            key.id,
            key.name,
            key.prefix,
            stateOf(key),
            when(key.createdAt),
            when(key.lastUsedAt),
          ]),
        );
        notePage(page, page.items.length, all);
      });
    },
  );

  keys
    .command('create')
    .description('create a key: its secret is printed once, now, and never again')
    .requiredOption('--name <name>', 'what the key is for, for people')
    .option('--expires-at <time>', 'when it stops working (ISO 8601, e.g. 2027-01-01T00:00:00Z); else never')
    .action(async (options: { name: string; expiresAt?: string }, command: Command) => {
      const ctx = contextOf(command, asUser);
      const created = await ctx.call('Creating the API key', (client) =>
        client.apiKeys.create.mutate({
          name: options.name,
          ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
        }),
      );
      ctx.show(created, () => {
        printDetails([
          ['id', created.id],
          ['name', created.name],
          ['key', created.key],
          ['expires', when(created.expiresAt)],
        ]);
        note('the key is shown only this once: store it now (it is kept only as a hash)');
      });
    });

  keys
    .command('revoke')
    .description('revoke a key: it stops working at once here, within 30 s everywhere')
    .argument('<id>', 'the key’s id (from list)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(command, asUser);
      await ctx.call('Revoking the API key', (client) => client.apiKeys.revoke.mutate({ id }));
      if (!ctx.json) note(`revoked API key ${id}`);
    });
}
