import type { ConnectorVersion, PublishCheck } from '@connect/client';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { stringify } from 'yaml';
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
import { UsageError } from '../errors';
import { note, notePage, printDetails, printLine, printTable, when, type Cell } from '../output';
import { readList } from '../paging';
import { changeLine, formatDiff } from '../version-diff';
import { targetCommand, targetOf, withPaging, type PagingOptions, type TargetOptions, versionCall } from '../target';

const status = (version: ConnectorVersion) =>
  version.publishedAt === null ? 'draft' : version.deprecatedAt === null ? 'published' : 'deprecated';

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
    ...(version.deprecatedAt === null
      ? []
      : ([
          ['deprecated', when(version.deprecatedAt)],
          ['sunset', when(version.sunsetAt)],
          ['deprecation', version.deprecationMessage],
        ] satisfies [string, Cell][])),
    ['subscriptions', version.subscriptionCount],
    ['created', when(version.createdAt)],
    ['updated', when(version.updatedAt)],
  ]);
}

/** A time option: ISO 8601 as the API takes it, or `now`. */
function timeOf(value: string, flag: string): string {
  if (value === 'now') return new Date().toISOString();
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`${flag} takes a time like 2026-07-01T00:00:00Z, or now`);
  return new Date(value).toISOString();
}

/** What a dry run of publish found, for people: why not, the diff from latest, who is concerned. */
function printPublishCheck(check: PublishCheck): void {
  for (const message of check.messages) printLine(`${message.severity}: ${message.text}`);
  if (check.diff) {
    for (const change of check.diff.changes) printLine(changeLine(change));
    const breaking = check.diff.changes.filter((change) => change.breaking).length;
    const bump = check.diff.suggestedBump === null ? '' : `; suggested bump: ${check.diff.suggestedBump}`;
    printLine(
      `from the latest ${check.diff.from}: ${String(check.diff.changes.length)} changes, ${String(breaking)} breaking${bump}`,
    );
  } else {
    printLine('nothing is published yet: nothing to compare with');
  }
  const policy = check.compatibility;
  printLine(
    `compatibility policy ${policy.policy}: ${
      !policy.checked
        ? 'not judged'
        : policy.compatible
          ? 'compatible'
          : `refused (${String(policy.breakingCount)} breaking)`
    }`,
  );
  if (check.subscriptionCount > 0) {
    const names = check.subscriptions.map((s) => s.subscriber).join(', ');
    printLine(`subscribers of ${check.latest ?? 'latest'} (${String(check.subscriptionCount)}): ${names}`);
  }
}

export function versionsCommand(program: Command): void {
  const versions = program
    .command('versions')
    .description('versions of a connector (each command takes the connector id first, or --connector)');

  withPaging(targetCommand(versions, 'list', 'list the versions of a connector', []))
    .option('--deprecated', 'only deprecated versions')
    .option('--no-deprecated', 'only versions that are not deprecated')
    .action(
      async (args: string[], options: TargetOptions & PagingOptions & { deprecated?: boolean }, command: Command) => {
        const { connectorId } = targetOf(args, options.connector, []);
        const ctx = contextOf(command);
        const filter = options.deprecated === undefined ? {} : { deprecated: options.deprecated };
        const { page, all } = await readList('items', options, (query) =>
          ctx.call('Listing versions', (client) =>
            client.connectorVersions.list.query({ connectorId, ...filter, ...query }),
          ),
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
    const changing = withIfMatch(targetCommand(versions, name, description, ['version']), 'the version');
    if (name === 'publish') {
      changing.option(
        '--dry-run',
        'change nothing: show what publishing would do (checks, diff from latest, policy, subscribers); exits 1 when it would be refused',
      );
    }
    changing.action(
      async (args: string[], options: TargetOptions & IfMatchOptions & { dryRun?: boolean }, command: Command) => {
        const { connectorId, version, ctx } = versionCall(args, options, command);
        if (options.dryRun === true) {
          const check = await ctx.call(`Checking ${version}`, (client) =>
            client.versionDiffs.publishCheck.query({ connectorId, version }),
          );
          ctx.show(check, printPublishCheck);
          if (!check.publishable) process.exitCode = 1;
          return;
        }
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

  targetCommand(
    versions,
    'diff',
    'what changed from one version to another, down to parameters and schemas, and what breaks callers',
    ['from', 'to'],
  )
    .option('--breaking', 'only the changes that break callers of <from>')
    .action(async (args: string[], options: TargetOptions & { breaking?: boolean }, command: Command) => {
      const {
        connectorId,
        values: [from = '', to = ''],
      } = targetOf(args, options.connector, ['from', 'to']);
      const ctx = contextOf(command);
      const breakingOnly = options.breaking === true;
      const diff = await ctx.call(`Comparing ${from} and ${to}`, (client) =>
        client.versionDiffs.get.query({ connectorId, from, to, ...(breakingOnly ? { breakingOnly } : {}) }),
      );
      ctx.show(diff, () => {
        for (const line of formatDiff(diff, breakingOnly)) printLine(line);
      });
    });

  targetCommand(versions, 'export', 'the version as an OpenAPI 3.1 document (JSON, or YAML with --yaml)', ['version'])
    .option('--yaml', 'write YAML rather than JSON')
    .option('-o, --output <file>', 'write the document to this file rather than to standard output')
    .action(async (args: string[], options: TargetOptions & { yaml?: boolean; output?: string }, command: Command) => {
      const { connectorId, version, ctx } = versionCall(args, options, command);
      const document = await ctx.call(`Exporting ${version}`, (client) =>
        client.versionExports.get.query({ connectorId, version }),
      );
      const text =
        options.yaml === true
          ? stringify(document, { aliasDuplicateObjects: false })
          : `${JSON.stringify(document, null, 2)}\n`;
      if (options.output === undefined) {
        process.stdout.write(text);
        return;
      }
      await writeFile(options.output, text);
      note(`wrote ${options.output}`);
    });

  withIfMatch(
    targetCommand(versions, 'deprecate', 'deprecate a published version: its reads then say so, and name a successor', [
      'version',
    ]),
    'the version',
  )
    .option('--at <time>', 'when it is (or will be) deprecated: an ISO 8601 time, or now', 'now')
    .option('--sunset <time>', 'when it stops being served (an ISO 8601 time)')
    .option('--message <text>', 'what its callers should do, e.g. which version to move to')
    .action(
      async (
        args: string[],
        options: TargetOptions & IfMatchOptions & { at: string; sunset?: string; message?: string },
        command: Command,
      ) => {
        const { connectorId, version, ctx } = versionCall(args, options, command);
        const updated = await ctx.call(`Deprecating ${version}`, (client) =>
          client.connectorVersions.update.mutate({
            connectorId,
            version,
            deprecatedAt: timeOf(options.at, '--at'),
            ...(options.sunset === undefined ? {} : { sunsetAt: timeOf(options.sunset, '--sunset') }),
            ...(options.message === undefined ? {} : { deprecationMessage: options.message }),
            ...ifMatchOf(options),
          }),
        );
        ctx.show(updated, () => {
          printVersion(updated);
          note(`deprecated ${updated.name}`);
        });
      },
    );

  withIfMatch(
    targetCommand(versions, 'undeprecate', 'withdraw a deprecation (its sunset and message go with it)', ['version']),
    'the version',
  ).action(async (args: string[], options: TargetOptions & IfMatchOptions, command: Command) => {
    const { connectorId, version, ctx } = versionCall(args, options, command);
    const updated = await ctx.call(`Undeprecating ${version}`, (client) =>
      client.connectorVersions.update.mutate({ connectorId, version, deprecatedAt: null, ...ifMatchOf(options) }),
    );
    ctx.show(updated, () => {
      printVersion(updated);
      note(`${updated.name} is no longer deprecated`);
    });
  });
}
