import { Command } from 'commander';
import { apiKeysCommand } from './commands/api-keys';
import { connectionsCommand } from './commands/connections';
import { connectorsCommand } from './commands/connectors';
import { configCommand } from './commands/config';
import { definitionsCommand } from './commands/definitions';
import { actionsCommand, triggersCommand } from './commands/operations';
import { subscriptionsCommand } from './commands/subscriptions';
import { libraryCommand } from './commands/library';
import { importCommand } from './commands/import';
import { versionsCommand } from './commands/versions';

/** The command tree. Global options may come before or after the command (`connect --json connectors list`). */
export function buildProgram(): Command {
  const program = new Command('connect')
    .description(
      'Manage Connect connectors, versions, actions, triggers, definitions, subscriptions and API keys through the API.',
    )
    .option('--url <url>', 'the API (else CONNECT_URL, else the one pnpm dev serves, from .dev/credentials.json)')
    .option('--api-key <key>', 'an API key (else CONNECT_API_KEY, else .dev/credentials.json)')
    .option('--token <id_token>', 'an id_token instead of an API key (else CONNECT_TOKEN)')
    .option('--json', 'print the API’s JSON instead of tables')
    // Errors are thrown rather than exiting, so main.ts gives usage errors their own exit code (2).
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    // Lists subcommands by their usage line: `get [connector] <version> [options]`, not commander's
    // `[arguments...]` placeholder (see target.ts). Inherited by every command added below.
    .configureHelp({ subcommandTerm: (command) => `${command.name()} ${command.usage()}` })
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 the API refused or could not be reached, 2 wrong usage or no configuration.',
    );
  configCommand(program);
  connectorsCommand(program);
  versionsCommand(program);
  actionsCommand(program);
  triggersCommand(program);
  definitionsCommand(program);
  apiKeysCommand(program);
  connectionsCommand(program);
  subscriptionsCommand(program);
  libraryCommand(program);
  importCommand(program);
  return program;
}
