import { InvalidArgumentError, type Command } from 'commander';
import { contextOf, type Context } from './context';
import { UsageError } from './errors';

/**
 * Commands on a connector's versions and their children take the connector id first — or, for
 * scripts that set it once, as `--connector`. Commander cannot express an optional argument before
 * required ones, so they take a list and `targetOf` tells which is which.
 */
export function targetCommand(
  parent: Command,
  name: string,
  description: string,
  args: string[],
  more?: string,
): Command {
  const shown = [...args.map((arg) => `<${arg}>`), ...(more ? [`[${more}...]`] : [])].join(' ');
  return parent
    .command(name)
    .description(description)
    .usage(['[connector]', shown, '[options]'].filter(Boolean).join(' '))
    .argument('[arguments...]', `[connector] ${shown} — the connector id may be given as --connector instead`)
    .option('-c, --connector <id>', 'the connector id (instead of the first argument)');
}

/** The option every target command takes. */
export interface TargetOptions {
  connector?: string;
}

export interface Target {
  connectorId: string;
  /** The arguments after the connector, as named in `targetCommand`. */
  values: string[];
  /** Arguments past the named ones (when the command takes `more`). */
  rest: string[];
}

/** Splits a target command's arguments into the connector id and the rest, or says what is missing. */
export function targetOf(given: string[], connector: string | undefined, args: string[], more?: string): Target {
  const values = connector === undefined ? given.slice(1) : given;
  const connectorId = connector ?? given[0];
  const expected = ['[connector]', ...args.map((arg) => `<${arg}>`), ...(more ? [`[${more}...]`] : [])].join(' ');
  if (connectorId === undefined)
    throw new UsageError(`missing the connector id: expected ${expected}, or --connector <id>`);
  if (values.length < args.length) {
    const missing = args
      .slice(values.length)
      .map((arg) => `<${arg}>`)
      .join(' ');
    throw new UsageError(`missing ${missing}: expected ${expected}`);
  }
  if (!more && values.length > args.length) {
    throw new UsageError(`too many arguments (${values.slice(args.length).join(' ')}): expected ${expected}`);
  }
  return { connectorId, values: values.slice(0, args.length), rest: values.slice(args.length) };
}

/** A command on one version: its connector, the version (a name, latest or default) and the API. */
export function versionCall(
  args: string[],
  options: TargetOptions,
  command: Command,
): { connectorId: string; version: string; ctx: Context } {
  const {
    connectorId,
    values: [version = ''],
  } = targetOf(args, options.connector, ['version']);
  return { connectorId, version, ctx: contextOf(command) };
}

/** `--first`: a page size the API accepts, checked here so a typo is a usage error. */
export function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return n;
}

/** The paging options every list takes. */
export function withPaging(command: Command): Command {
  return command
    .option('--first <n>', 'items per page (1–100)', pageSize)
    .option('--after <cursor>', 'the page after this cursor (a `next` of the previous page)')
    .option('--before <cursor>', 'the page before this cursor (a `prev`)')
    .option('--all', 'read every page (with --json: one object holding every item)');
}

export interface PagingOptions {
  first?: number;
  after?: string;
  before?: string;
  all?: boolean;
}
