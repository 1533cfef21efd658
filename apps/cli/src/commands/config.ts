import type { Command } from 'commander';
import { describeCredential, resolveConfig } from '../config';
import type { GlobalOptions } from '../context';
import { printDetails, printJson } from '../output';

/** `connect config`: which URL and credential a command would use, and where each came from. */
export function configCommand(program: Command): void {
  program
    .command('config')
    .description('show the URL and credential commands use, and where each comes from (never the secret)')
    .action((_options: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      const config = resolveConfig(options, process.env, process.cwd());
      const credential = describeCredential(config.credential);
      if (options.json === true) {
        printJson({
          url: config.url,
          urlSource: config.urlSource,
          credential: credential.kind,
          credentialSource: config.credentialSource,
        });
        return;
      }
      printDetails([
        ['url', `${config.url} (${config.urlSource})`],
        [
          'credential',
          `${credential.kind === 'apiKey' ? 'API key' : 'token'} ${credential.preview} (${config.credentialSource})`,
        ],
      ]);
    });
}
