import type { Definition, DefinitionCreate, RouterInputs } from '@connect/client';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { ifMatchOf, showTagged, withEtag, withIfMatch, type EtagOptions, type IfMatchOptions } from '../entity-tags';
import { childListCommand } from './version-children';
import { UsageError } from '../errors';
import { definitionsOf, objectsOf, readDataFile } from '../input';
import { note, notePage, printDetails, printLine, printTable, when } from '../output';
import { targetCommand, targetOf, type TargetOptions } from '../target';

const usedBy = (definition: Definition) => definition.referencedBy.map((ref) => `${ref.type} ${ref.name}`).join('\n');

function printDefinition(definition: Definition): void {
  printDetails([
    ['name', definition.name],
    ['id', definition.id],
    ['description', definition.description],
    ['accept', definition.accept.join(', ')],
    ['schema type', definition.schema.contentType],
    ['used by', usedBy(definition)],
    ['raw schema', definition.url],
    ['created', when(definition.createdAt)],
    ['updated', when(definition.updatedAt)],
  ]);
  // The schema below the table, as written: tables wrap long lines and would garble it.
  printLine(definition.schema.content);
}

export function definitionsCommand(program: Command): void {
  const definitions = program
    .command('definitions')
    .description(
      'definitions (schemas) of a connector version (each command takes the connector id first, or --connector)',
    );

  childListCommand(
    definitions,
    'definitions',
    (client, query) => client.definitions.list.query(query),
    (page, all) => {
      printTable(
        ['name', 'accept', 'schema type', 'used by', 'description'],
        page.definitions.map((definition) => [
          definition.name,
          definition.accept.join(', '),
          definition.schema.contentType,
          usedBy(definition),
          definition.description,
        ]),
      );
      notePage(page, page.definitions.length, all);
    },
  );

  withEtag(targetCommand(definitions, 'get', 'show one definition, with its schema', ['version', 'definition'])).action(
    async (args: string[], options: TargetOptions & EtagOptions, command: Command) => {
      const {
        connectorId,
        values: [version = '', definitionName = ''],
      } = targetOf(args, options.connector, ['version', 'definition']);
      const ctx = contextOf(command);
      const found = await ctx.call(`Reading definition ${definitionName}`, (client) =>
        client.definitions.getTagged.query({ connectorId, version, definitionName }),
      );
      showTagged(ctx, found, options, printDefinition);
    },
  );

  targetCommand(
    definitions,
    'create',
    'create definitions from a JSON or YAML file: a list, { definitions: [...] } or one definition; they may $ref each other',
    ['version'],
  )
    .requiredOption('-f, --file <path>', 'the definitions as JSON or YAML (- for stdin)')
    .action(async (args: string[], options: TargetOptions & { file: string }, command: Command) => {
      const {
        connectorId,
        values: [version = ''],
      } = targetOf(args, options.connector, ['version']);
      // Sent as the file has them, in one request (they may refer to each other); the API validates them.
      const list = definitionsOf(await readDataFile(options.file), options.file) as DefinitionCreate[];
      const ctx = contextOf(command);
      const created = await ctx.call(`Creating ${String(list.length)} definition(s)`, (client) =>
        client.definitions.create.mutate({ connectorId, version, definitions: list }),
      );
      ctx.show(created, () => {
        printTable(
          ['name', 'accept', 'schema type', 'used by'],
          created.definitions.map((definition) => [
            definition.name,
            definition.accept.join(', '),
            definition.schema.contentType,
            usedBy(definition),
          ]),
        );
        note(`created ${String(created.definitions.length)} definition(s)`);
      });
    });

  const updateHelp = 'change a definition from a JSON or YAML file (accept, description, schema)';
  withIfMatch(targetCommand(definitions, 'update', updateHelp, ['version', 'definition']), 'the definition')
    .requiredOption('-f, --file <path>', 'the definition as JSON or YAML, e.g. edited from get --json (- for stdin)')
    .action(async (args: string[], options: TargetOptions & IfMatchOptions & { file: string }, command: Command) => {
      const {
        connectorId,
        values: [version = '', definitionName = ''],
      } = targetOf(args, options.connector, ['version', 'definition']);
      const [body] = objectsOf(await readDataFile(options.file), options.file, 'definition');
      const ctx = contextOf(command);
      const input = {
        ...body,
        connectorId,
        version,
        definitionName,
        ...ifMatchOf(options),
      } as RouterInputs['definitions']['update'];
      const updated = await ctx.call(`Updating definition ${definitionName}`, (client) =>
        client.definitions.update.mutate(input),
      );
      ctx.show(updated, printDefinition);
    });

  targetCommand(
    definitions,
    'delete',
    'delete definitions by name (refused while something refers to them)',
    ['version'],
    'definition',
  )
    .option('--all', 'delete every definition of the version')
    .option(
      '--if-match <etag>',
      'with one name: only while that definition still has this entity tag (from get); otherwise nothing is deleted',
    )
    .action(async (args: string[], options: TargetOptions & IfMatchOptions & { all?: boolean }, command: Command) => {
      const {
        connectorId,
        values: [version = ''],
        rest: names,
      } = targetOf(args, options.connector, ['version'], 'definition');
      if (options.all === true && names.length > 0) throw new UsageError('give definition names or --all, not both');
      if (options.all !== true && names.length === 0)
        throw new UsageError('name the definitions to delete, or give --all');
      if (options.ifMatch !== undefined && names.length !== 1)
        throw new UsageError('--if-match is the tag of one definition: name exactly one');
      const ctx = contextOf(command);
      const [single] = names;
      await ctx.call('Deleting definitions', (client) =>
        // One name: the single delete, whose 404 names it; more (or --all): one request for all, so
        // definitions that refer to each other can go together.
        names.length === 1 && single !== undefined
          ? client.definitions.delete.mutate({ connectorId, version, definitionName: single, ...ifMatchOf(options) })
          : client.definitions.deleteMany.mutate({
              connectorId,
              version,
              ...(options.all === true ? { all: true } : { names }),
            }),
      );
      if (!ctx.json)
        note(options.all === true ? 'deleted every definition' : `deleted definition(s) ${names.join(', ')}`);
    });
}
