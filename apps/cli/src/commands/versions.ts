import type { Client, ConnectorVersion } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import {
  ifMatchOf,
  showTagged,
  tagOf,
  withEtag,
  withIfMatch,
  type EtagOptions,
  type IfMatchOptions,
} from '../entity-tags';
import { diffVersions, formatDiff, type VersionContent } from '../diff';
import { UsageError } from '../errors';
import { note, notePage, printDetails, printLine, printTable, when } from '../output';
import { readAllPages, readList } from '../paging';
import { targetCommand, targetOf, withPaging, type PagingOptions, type TargetOptions, versionCall } from '../target';

const status = (version: ConnectorVersion) => (version.publishedAt === null ? 'draft' : 'published');

/** Versions as a table: shared with `connectors get`, which lists them too. */
export function printVersions(versions: ConnectorVersion[]): void {
  printTable(
    ['name', 'status', 'latest', 'default', 'published', 'description'],
    versions.map((version) => [
      version.name,
      status(version),
      version.isLatest ? 'yes' : '',
      version.isDefault ? 'yes' : '',
      when(version.publishedAt),
      version.description,
    ]),
  );
}

function printVersion(version: ConnectorVersion): void {
  printDetails([
    ['name', version.name],
    ['id', version.id],
    ['status', status(version)],
    ['latest', version.isLatest],
    ['default', version.isDefault],
    ['description', version.description],
    ['published', when(version.publishedAt)],
    ['created', when(version.createdAt)],
    ['updated', when(version.updatedAt)],
  ]);
}

/** Every child of a version, every page of each (three lists, sent as one batched request a page). */
async function versionContent(client: Client, connectorId: string, version: string): Promise<VersionContent> {
  const [actions, triggers, definitions] = await Promise.all([
    readAllPages('actions', (page) => client.actions.list.query({ connectorId, version, ...page })),
    readAllPages('triggers', (page) => client.triggers.list.query({ connectorId, version, ...page })),
    readAllPages('definitions', (page) => client.definitions.list.query({ connectorId, version, ...page })),
  ]);
  return { actions, triggers, definitions };
}

export function versionsCommand(program: Command): void {
  const versions = program
    .command('versions')
    .description('versions of a connector (each command takes the connector id first, or --connector)');

  withPaging(targetCommand(versions, 'list', 'list the versions of a connector', [])).action(
    async (args: string[], options: TargetOptions & PagingOptions, command: Command) => {
      const { connectorId } = targetOf(args, options.connector, []);
      const ctx = contextOf(command);
      const { page, all } = await readList('items', options, (query) =>
        ctx.call('Listing versions', (client) => client.connectorVersions.list.query({ connectorId, ...query })),
      );
      ctx.show(page, () => {
        printVersions(page.items);
        notePage(page, page.items.length, all);
      });
    },
  );

  withEtag(targetCommand(versions, 'get', 'show a version (a name, latest or default)', ['version'])).action(
    async (args: string[], options: TargetOptions & EtagOptions, command: Command) => {
      const { connectorId, version, ctx } = versionCall(args, options, command);
      const found = await ctx.call('Reading the version', (client) =>
        client.connectorVersions.getTagged.query({ connectorId, version }),
      );
      showTagged(ctx, found, options, printVersion);
    },
  );

  targetCommand(versions, 'create', 'create a draft version, empty or copied from another', ['name'])
    .option('--from <version>', 'copy every action, trigger and definition of this version (a name, latest or default)')
    .option('--description <text>', 'what the version is for')
    .option('--if-match <etag>', 'copy only while the --from version still has this entity tag (from get)')
    .action(
      async (
        args: string[],
        options: TargetOptions & IfMatchOptions & { from?: string; description?: string },
        command: Command,
      ) => {
        if (options.ifMatch !== undefined && options.from === undefined) {
          throw new UsageError('--if-match names the --from version’s tag; give --from too');
        }
        const {
          connectorId,
          values: [name = ''],
        } = targetOf(args, options.connector, ['name']);
        const ctx = contextOf(command);
        const created = await ctx.call(options.from ? `Copying ${options.from}` : 'Creating the version', (client) =>
          client.connectorVersions.create.mutate({
            connectorId,
            name,
            ...(options.from === undefined ? {} : { fromVersion: options.from }),
            ...(options.description === undefined ? {} : { description: options.description }),
            ...(options.ifMatch === undefined ? {} : { fromVersionIfMatch: tagOf(options.ifMatch) }),
          }),
        );
        ctx.show(created, () => {
          printVersion(created);
          note(`created version ${created.name}${options.from ? ` from ${options.from}` : ''}`);
        });
      },
    );

  withIfMatch(
    targetCommand(versions, 'update', 'change a draft’s description, or whether a published version is the default', [
      'version',
    ]),
    'the version',
  )
    .option('--description <text>', 'the new description (drafts only)')
    .option('--default', 'make it the connector’s default (published versions only)')
    .option('--no-default', 'stop it being the chosen default (the default falls back to the latest)')
    .action(
      async (
        args: string[],
        options: TargetOptions & IfMatchOptions & { description?: string; default?: boolean },
        command: Command,
      ) => {
        const {
          connectorId,
          values: [version = ''],
        } = targetOf(args, options.connector, ['version']);
        if (options.description === undefined && options.default === undefined) {
          throw new UsageError('nothing to change: give --description, --default or --no-default');
        }
        const ctx = contextOf(command);
        const updated = await ctx.call('Updating the version', (client) =>
          client.connectorVersions.update.mutate({
            connectorId,
            version,
            ...(options.description === undefined ? {} : { description: options.description }),
            ...(options.default === undefined ? {} : { isDefault: options.default }),
            ...ifMatchOf(options),
          }),
        );
        ctx.show(updated, printVersion);
      },
    );

  withIfMatch(
    targetCommand(versions, 'set-default', 'make a published version the connector’s default', ['version']),
    'the version',
  ).action(async (args: string[], options: TargetOptions & IfMatchOptions, command: Command) => {
    const { connectorId, version, ctx } = versionCall(args, options, command);
    const updated = await ctx.call('Setting the default', (client) =>
      client.connectorVersions.update.mutate({ connectorId, version, isDefault: true, ...ifMatchOf(options) }),
    );
    ctx.show(updated, () => {
      printVersion(updated);
      note(`${updated.name} is now the default version`);
    });
  });

  for (const [name, description, verb] of [
    ['publish', 'publish a draft (it can no longer change)', 'Publishing'],
    ['unpublish', 'make a published version a draft again (refused for the chosen default)', 'Unpublishing'],
  ] as const) {
    withIfMatch(targetCommand(versions, name, description, ['version']), 'the version').action(
      async (args: string[], options: TargetOptions & IfMatchOptions, command: Command) => {
        const { connectorId, version, ctx } = versionCall(args, options, command);
        const changed = await ctx.call(`${verb} ${version}`, (client) =>
          client.connectorVersions[name].mutate({ connectorId, version, ...ifMatchOf(options) }),
        );
        ctx.show(changed, () => {
          printVersion(changed.version);
          note(`${name}ed ${changed.version.name}`);
        });
      },
    );
  }

  withIfMatch(
    targetCommand(versions, 'delete', 'delete a draft (a published version needs --force)', ['version']),
    'the version',
  )
    .option('--force', 'delete it even if it is published')
    .action(async (args: string[], options: TargetOptions & IfMatchOptions & { force?: boolean }, command: Command) => {
      const { connectorId, version, ctx } = versionCall(args, options, command);
      await ctx.call(`Deleting ${version}`, (client) =>
        client.connectorVersions.delete.mutate({
          connectorId,
          version,
          ...(options.force === true ? { force: true } : {}),
          ...ifMatchOf(options),
        }),
      );
      if (!ctx.json) note(`deleted version ${version}`);
    });

  targetCommand(versions, 'diff', 'what changed from one version to another: actions, triggers and definitions', [
    'from',
    'to',
  ]).action(async (args: string[], options: TargetOptions, command: Command) => {
    const {
      connectorId,
      values: [from = '', to = ''],
    } = targetOf(args, options.connector, ['from', 'to']);
    const ctx = contextOf(command);
    const [before, after] = await ctx.call(`Comparing ${from} and ${to}`, (client) =>
      Promise.all([versionContent(client, connectorId, from), versionContent(client, connectorId, to)]),
    );
    const diff = diffVersions({ connectorId, from, to }, before, after);
    ctx.show(diff, () => {
      for (const line of formatDiff(diff)) printLine(line);
    });
  });
}
