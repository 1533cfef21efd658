import type { Category, CompatibilityPolicy, Connector } from '@connect/client';
import { InvalidArgumentError, type Command } from 'commander';
import { contextOf } from '../context';
import { ifMatchOf, showTagged, withEtag, withIfMatch, type EtagOptions, type IfMatchOptions } from '../entity-tags';
import { note, notePage, printDetails, printLine, printTable, when } from '../output';
import { readList } from '../paging';
import { withPaging, type PagingOptions } from '../target';
import { printVersions } from './versions';

export function printConnector(connector: Connector): void {
  const latest = connector.versions.find((version) => version.isLatest)?.name;
  const fallback = connector.versions.find((version) => version.isDefault)?.name;
  printDetails([
    ['id', connector.id],
    ['name', connector.name],
    ['protocol', connector.protocol],
    ['base URL', connector.baseUrl],
    ['public', connector.public],
    ['documentation', connector.documentationURL],
    ['image', connector.imageURL],
    [
      'tags',
      Object.entries(connector.tags)
        .map(([key, values]) => `${key}=${values.join(',')}`)
        .join(' '),
    ],
    ['variables', connector.connectionVariables.map((variable) => variable.name).join(', ')],
    ['compatibility', connector.compatibilityPolicy],
    ['latest version', latest],
    ['default version', fallback],
    ['created', when(connector.createdAt)],
    ['updated', when(connector.updatedAt)],
  ]);
  if (connector.versions.length > 0) {
    printLine();
    printVersions(connector.versions);
  }
}

interface CreateOptions {
  name: string;
  baseUrl: string;
  public?: boolean;
  documentationUrl?: string;
  imageUrl?: string;
  compatibilityPolicy?: CompatibilityPolicy;
}

/** `--compatibility-policy`: checked here, so a typo is a usage error. */
function policyOf(value: string): CompatibilityPolicy {
  if (value !== 'none' && value !== 'backward') throw new InvalidArgumentError('must be none or backward');
  return value;
}

const policyHelp =
  'backward: refuse publishing a version that breaks callers of the latest within its major; none: no check';

export interface FilterOptions {
  name?: string;
  protocol?: string;
  tags?: string;
  category: string[];
}

/** Commander's way to take an option more than once. */
const collect = (value: string, previous: string[]) => [...previous, value];

/** The filters of ListConnectors (and of the public library's list) as options. */
export const withFilters = (command: Command): Command =>
  command
    .option('--name <part>', 'only those whose name holds this (any case)')
    .option('--protocol <part>', 'only those whose protocol holds this (any case)')
    .option('--tags <terms>', 'only those with every tag term: key or key:value, separated by commas')
    .option('--category <name>', 'only those in this category (repeat for several: all must hold)', collect, []);

/** The filters given, as the list operations take them. */
export const filtersOf = (options: FilterOptions) => ({
  ...(options.name === undefined ? {} : { name: options.name }),
  ...(options.protocol === undefined ? {} : { protocol: options.protocol }),
  ...(options.tags === undefined ? {} : { tags: options.tags }),
  ...(options.category.length === 0 ? {} : { categories: options.category as Category[] }),
});

export function printConnectorTable(connectors: Connector[]): void {
  printTable(
    ['id', 'name', 'base URL', 'versions', 'latest', 'default', 'updated'],
    connectors.map((connector) => [
      connector.id,
      connector.name,
      connector.baseUrl,
      connector.versions.length,
      connector.versions.find((version) => version.isLatest)?.name,
      connector.versions.find((version) => version.isDefault)?.name,
      when(connector.updatedAt),
    ]),
  );
}

export function connectorsCommand(program: Command): void {
  const connectors = program.command('connectors').description('HTTP connectors of the organisation');

  withFilters(withPaging(connectors.command('list').description('list connectors'))).action(
    async (options: PagingOptions & FilterOptions, command: Command) => {
      const ctx = contextOf(command);
      const filters = filtersOf(options);
      const { page, all } = await readList('connectors', options, (query) =>
        ctx.call('Listing connectors', (client) => client.connectors.list.query({ ...query, ...filters })),
      );
      ctx.show(page, () => {
        printConnectorTable(page.connectors);
        notePage(page, page.connectors.length, all);
      });
    },
  );

  withIfMatch(
    connectors.command('tags').description("replace a connector's tags (none given: clear them)"),
    'the connector',
  )
    .argument('<connector>', 'the connector id')
    .argument('[terms...]', 'key:value or key; a key given twice gets both values')
    .action(async (connectorId: string, terms: string[], options: IfMatchOptions, command: Command) => {
      const ctx = contextOf(command);
      const tags: Record<string, string[]> = {};
      for (const term of terms) {
        const at = term.indexOf(':');
        const key = at === -1 ? term : term.slice(0, at);
        const values = (tags[key] ??= []);
        if (at !== -1) values.push(term.slice(at + 1));
      }
      const { etag } = await ctx.call('Replacing the tags', (client) =>
        client.connectors.updateTags.mutate({ connectorId, tags, ...ifMatchOf(options) }),
      );
      ctx.show({ etag }, () => {
        note(`tags of ${connectorId} replaced (etag ${etag})`);
      });
    });

  withIfMatch(
    connectors.command('categories').description("replace a connector's categories (none given: clear them)"),
    'the connector',
  )
    .argument('<connector>', 'the connector id')
    .argument('[categories...]', 'categories of the fixed list (`connect connectors categories --help`)')
    .action(async (connectorId: string, categories: string[], options: IfMatchOptions, command: Command) => {
      const ctx = contextOf(command);
      const { etag } = await ctx.call('Replacing the categories', (client) =>
        client.connectors.updateCategories.mutate({
          connectorId,
          categories: categories as Category[],
          ...ifMatchOf(options),
        }),
      );
      ctx.show({ etag }, () => {
        note(`categories of ${connectorId} replaced (etag ${etag})`);
      });
    });

  withEtag(connectors.command('get').description('show a connector and its versions'))
    .argument('<connector>', 'the connector id')
    .action(async (connectorId: string, options: EtagOptions, command: Command) => {
      const ctx = contextOf(command);
      const found = await ctx.call('Reading the connector', (client) =>
        client.connectors.getTagged.query({ connectorId }),
      );
      showTagged(ctx, found, options, printConnector);
    });

  connectors
    .command('create')
    .description('create an HTTP connector')
    .requiredOption('--name <name>', 'what people call it')
    .requiredOption('--base-url <url>', 'the address its actions’ paths are relative to')
    .option('--public', 'list it for every organisation')
    .option('--documentation-url <url>', 'where its documentation is')
    .option('--image-url <url>', 'its logo')
    .option('--compatibility-policy <policy>', policyHelp, policyOf)
    .action(async (options: CreateOptions, command: Command) => {
      const ctx = contextOf(command);
      const connector = await ctx.call('Creating the connector', (client) =>
        client.connectors.create.mutate({
          name: options.name,
          baseUrl: options.baseUrl,
          ...(options.public === true ? { public: true } : {}),
          ...(options.documentationUrl === undefined ? {} : { documentationURL: options.documentationUrl }),
          ...(options.imageUrl === undefined ? {} : { imageURL: options.imageUrl }),
          ...(options.compatibilityPolicy === undefined ? {} : { compatibilityPolicy: options.compatibilityPolicy }),
        }),
      );
      ctx.show(connector, () => {
        printConnector(connector);
        note(`created connector ${connector.id}`);
      });
    });

  connectors
    .command('policy')
    .description(`set a connector's compatibility policy (${policyHelp})`)
    .argument('<connector>', 'the connector id')
    .argument('<policy>', 'none or backward', policyOf)
    .action(async (connectorId: string, policy: CompatibilityPolicy, _options: object, command: Command) => {
      const ctx = contextOf(command);
      // An update takes the connector's whole state: sent back as read, with the policy changed, on
      // the condition (If-Match) that nobody changed it in between.
      const updated = await ctx.call('Setting the policy', async (client) => {
        const { body, etag } = await client.connectors.getTagged.query({ connectorId });
        const { name, baseUrl, documentationURL, imageURL, tags, connectionVariables, authSchemeConfigs } = body;
        const state = { name, baseUrl, public: body.public, documentationURL, imageURL, tags, connectionVariables };
        return client.connectors.update.mutate({
          ...state,
          authSchemeConfigs,
          connectorId,
          compatibilityPolicy: policy,
          ifMatch: etag,
        });
      });
      ctx.show(updated, () => {
        printConnector(updated);
        note(`compatibility policy of ${updated.id}: ${updated.compatibilityPolicy}`);
      });
    });

  withIfMatch(
    connectors.command('delete').description('delete a connector (with --force, even with published versions)'),
    'the connector',
  )
    .argument('<connector>', 'the connector id')
    .option('--force', 'delete it even if it has published versions')
    .action(async (connectorId: string, options: { force?: boolean } & IfMatchOptions, command: Command) => {
      const ctx = contextOf(command);
      await ctx.call('Deleting the connector', (client) =>
        client.connectors.delete.mutate({
          connectorId,
          ...(options.force === true ? { force: true } : {}),
          ...ifMatchOf(options),
        }),
      );
      if (!ctx.json) note(`deleted connector ${connectorId}`);
    });
}
