import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Client, ImportHttpConnectorResult } from '@connect/client';
import type { Command } from 'commander';
import { contextOf, type Context } from '../context';
import { UsageError } from '../errors';
import { note, printDetails, printLine, printTable } from '../output';

interface ImportOptions {
  connector?: string;
  name?: string;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/** The media type an upload of `path` is signed for: YAML by its extension, JSON otherwise. */
const mediaTypeOf = (path: string) =>
  ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? 'application/yaml' : 'application/json';

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/**
 * One step of the import, as a progress line on stderr ("uploading shop.yaml (1.2 MB)… done in
 * 0.4 s"): people see where a long import is; --json keeps stderr quiet for scripts.
 */
async function step<T>(ctx: Context, label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  if (!ctx.json) process.stderr.write(`${label}… `);
  try {
    const result = await work();
    if (!ctx.json) process.stderr.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return result;
  } catch (error) {
    if (!ctx.json) process.stderr.write('failed\n');
    throw error;
  }
}

/**
 * A file goes as a user's client sends it: an upload URL (GetProtocolUploadURL), the file PUT
 * there, then the import names the upload. Answers the URL the import reads.
 */
async function uploaded(ctx: Context, path: string): Promise<string> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  if (size === 0) throw new UsageError(`${path} is empty`);
  const contentType = mediaTypeOf(path);
  const signed = await ctx.call('Asking for an upload URL', (client: Client) =>
    client.catalog.uploadUrl.query({ protocolSlug: 'http', contentType, contentLength: size }),
  );
  await step(ctx, `uploading ${basename(path)} (${megabytes(size)})`, async () => {
    const response = await fetch(signed.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body: readFileSync(path),
    });
    if (!response.ok) {
      const body = await response.text();
      throw new UsageError(`the upload was refused (${String(response.status)}): ${body.slice(0, 500)}`);
    }
  });
  return signed.url;
}

function printResult(result: ImportHttpConnectorResult): void {
  const version = result.connector.versions[0];
  printDetails([
    ['connector', result.connector.id],
    ['name', result.connector.name],
    ['base URL', result.connector.baseUrl],
    ['version', version?.name],
    ['actions', result.actions.length],
    ['triggers', result.triggers.length],
    ['definitions', result.definitions.length],
  ]);
  if (result.messages.length > 0) {
    printLine();
    printTable(
      ['severity', 'message'],
      result.messages.map((message) => [message.severity, message.text]),
    );
  }
}

export function importCommand(program: Command): void {
  program
    .command('import')
    .description(
      'import an OpenAPI document (3.0, 3.1 or Swagger 2.0; JSON or YAML) from a file or an https URL: a new connector, or with --connector a new draft version of one',
    )
    .argument('<source>', 'a file (uploaded first) or an https URL the API reads')
    .option('--connector <id>', 'add a draft version to this connector instead of creating one')
    .option('--name <version>', "the version's name (with --connector: required; else the document's info.version)")
    .action(async (source: string, options: ImportOptions, command: Command) => {
      const ctx = contextOf(command);
      if (options.connector !== undefined && options.name === undefined) {
        throw new UsageError('--connector needs --name: the name of the version to create');
      }
      const schemaURL = isUrl(source) ? source : await uploaded(ctx, source);
      const filetype: 'json' | 'yaml' | undefined = isUrl(source)
        ? undefined
        : mediaTypeOf(source) === 'application/yaml'
          ? 'yaml'
          : 'json';
      const document = { format: 'openapi' as const, schemaURL, ...(filetype ? { filetype } : {}) };
      const { connector, name } = options;
      const result = await step(ctx, 'importing', () =>
        ctx.call('Importing', (client: Client) =>
          connector !== undefined && name !== undefined
            ? client.connectorVersions.import.mutate({ ...document, connectorId: connector, version: name })
            : client.connectors.import.mutate({ ...document, ...(name === undefined ? {} : { version: name }) }),
        ),
      );
      ctx.show(result, () => {
        printResult(result);
        note(
          `imported as a draft: connect versions publish ${result.connector.id} ${result.connector.versions[0]?.name ?? ''}`,
        );
      });
    });
}
