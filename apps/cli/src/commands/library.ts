import type { Command } from 'commander';
import { contextOf } from '../context';
import { note, notePage } from '../output';
import { readList } from '../paging';
import { withPaging, type PagingOptions } from '../target';
import { filtersOf, printConnector, printConnectorTable, withFilters, type FilterOptions } from './connectors';

export function libraryCommand(program: Command): void {
  const library = program
    .command('library')
    .description('the public library: connectors every organisation can read and copy from (published versions only)');

  withFilters(withPaging(library.command('list').description('list public connectors of every organisation'))).action(
    async (options: PagingOptions & FilterOptions, command: Command) => {
      const ctx = contextOf(command);
      const filters = filtersOf(options);
      const { page, all } = await readList('connectors', options, (query) =>
        ctx.call('Listing the library', (client) => client.library.list.query({ ...query, ...filters })),
      );
      ctx.show(page, () => {
        printConnectorTable(page.connectors);
        notePage(page, page.connectors.length, all);
      });
    },
  );

  library
    .command('import')
    .description(
      "copy a public connector's published version (a name, latest or default) into your organisation as a draft; later versions join the same connector",
    )
    .argument('<connector>', 'the public connector id')
    .argument('<version>', 'one of its published versions')
    .action(async (connectorId: string, version: string, _options: object, command: Command) => {
      const ctx = contextOf(command);
      const copy = await ctx.call('Importing', (client) =>
        client.library.importVersion.mutate({ connectorId, version }),
      );
      ctx.show(copy, () => {
        printConnector(copy);
        note(
          `Imported as a draft: connect versions publish ${copy.id} ${version === 'latest' || version === 'default' ? (copy.versions[0]?.name ?? version) : version}`,
        );
      });
    });
}
