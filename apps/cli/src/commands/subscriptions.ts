import type { Subscription } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { note, notePage, printDetails, printTable, when } from '../output';
import { readList } from '../paging';
import { targetCommand, targetOf, versionCall, withPaging, type PagingOptions, type TargetOptions } from '../target';

function printSubscription(subscription: Subscription): void {
  printDetails([
    ['id', subscription.id],
    ['subscriber', subscription.subscriber],
    ['version', subscription.version],
    ['description', subscription.description],
    ['created', when(subscription.createdAt)],
  ]);
}

export function subscriptionsCommand(program: Command): void {
  const subscriptions = program
    .command('subscriptions')
    .description(
      'products that use a published version (a subscribed version cannot be unpublished; each command takes the connector id first, or --connector)',
    );

  withPaging(targetCommand(subscriptions, 'list', 'list the subscriptions of a version', ['version'])).action(
    async (args: string[], options: TargetOptions & PagingOptions, command: Command) => {
      const { connectorId, version, ctx } = versionCall(args, options, command);
      const { page, all } = await readList('items', options, (query) =>
        ctx.call('Listing subscriptions', (client) =>
          client.subscriptions.list.query({ connectorId, version, ...query }),
        ),
      );
      ctx.show(page, () => {
        printTable(
          ['id', 'subscriber', 'version', 'description', 'created'],
          page.items.map((s) => [s.id, s.subscriber, s.version, s.description, when(s.createdAt)]),
        );
        notePage(page, page.items.length, all);
      });
    },
  );

  targetCommand(
    subscriptions,
    'create',
    'subscribe a product to a published version (latest or default: the version it names now); once per subscriber',
    ['version'],
  )
    .requiredOption('--subscriber <name>', 'the product that uses the version')
    .option('--description <text>', 'what it uses the version for')
    .action(
      async (
        args: string[],
        options: TargetOptions & { subscriber: string; description?: string },
        command: Command,
      ) => {
        const { connectorId, version, ctx } = versionCall(args, options, command);
        const made = await ctx.call('Subscribing', (client) =>
          client.subscriptions.create.mutate({
            connectorId,
            version,
            subscriber: options.subscriber,
            ...(options.description === undefined ? {} : { description: options.description }),
          }),
        );
        ctx.show(made, () => {
          printSubscription(made.subscription);
          note(
            made.created
              ? `subscribed ${made.subscription.subscriber} to ${made.subscription.version}`
              : `${made.subscription.subscriber} was already subscribed to ${made.subscription.version}`,
          );
        });
      },
    );

  targetCommand(subscriptions, 'delete', 'delete a subscription of a version, by its id', [
    'version',
    'subscription',
  ]).action(async (args: string[], options: TargetOptions, command: Command) => {
    const {
      connectorId,
      values: [version = '', subscriptionId = ''],
    } = targetOf(args, options.connector, ['version', 'subscription']);
    const ctx = contextOf(command);
    await ctx.call('Unsubscribing', (client) =>
      client.subscriptions.delete.mutate({ connectorId, version, subscriptionId }),
    );
    if (!ctx.json) note(`deleted subscription ${subscriptionId}`);
  });
}
