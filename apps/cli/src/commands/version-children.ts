import type { Client } from '@connect/client';
import type { Command } from 'commander';
import { readList, type PageInfo, type PageQuery } from '../paging';
import { targetCommand, type PagingOptions, type TargetOptions, versionCall, withPaging } from '../target';

/** What a list of a version's children is asked for: the version, a page, and a name filter. */
export type ChildListQuery = PageQuery & { connectorId: string; version: string; name?: string };

/**
 * `<group> list [connector] <version>`: the children of one kind (actions, triggers, definitions)
 * of a version, a page at a time or `--all`, filtered by `--name`. One command for every kind, so
 * they page and filter alike.
 */
export function childListCommand<K extends string, P extends PageInfo & Record<K, unknown[]>>(
  group: Command,
  key: K,
  list: (client: Client, query: ChildListQuery) => Promise<P>,
  forPeople: (page: PageInfo & Record<K, P[K]>, all: boolean) => void,
): void {
  withPaging(targetCommand(group, 'list', `list the ${key} of a version`, ['version']))
    .option('--name <text>', 'only those whose name contains this (any case)')
    .action(async (args: string[], options: TargetOptions & PagingOptions & { name?: string }, command: Command) => {
      const { connectorId, version, ctx } = versionCall(args, options, command);
      const { page, all } = await readList(key, options, (query) =>
        ctx.call(`Listing ${key}`, (client) =>
          list(client, {
            connectorId,
            version,
            ...query,
            ...(options.name === undefined ? {} : { name: options.name }),
          }),
        ),
      );
      ctx.show(page, () => {
        forPeople(page, all);
      });
    });
}
