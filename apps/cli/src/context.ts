import { createClient, isApiClientError, type ApiClientError, type Client } from '@connect/client';
import type { Command } from 'commander';
import { resolveConfig, type Config } from './config';
import { printJson } from './output';
import { withSpinner } from './spinner';

/** Options every command takes (declared on the program, usable before or after the command). */
export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  token?: string;
  json?: boolean;
}

/**
 * A call to the API that failed, with the configuration it was made with: the report names the
 * URL and where the credential came from, which is what people get wrong.
 */
export class CallFailed extends Error {
  override readonly name = 'CallFailed';
  constructor(
    readonly failure: ApiClientError,
    readonly config: Config,
  ) {
    super(failure.message, { cause: failure });
  }
}

export interface Context {
  config: Config;
  /** Print the API's JSON instead of tables. */
  json: boolean;
  /** Runs calls on the client, with a spinner when they take a while. */
  call<T>(label: string, work: (client: Client) => Promise<T>): Promise<T>;
  /** Prints a result: the API's JSON as it came with --json, else what `forPeople` prints. */
  show<T>(value: T, forPeople: (value: T) => void): void;
}

/**
 * The configured client for a command; the configuration is read only when a command needs the API.
 * `preferToken`: the command needs a user (API keys are managed only with an id_token), so the
 * development credentials file's id_token goes before its API key.
 */
export function contextOf(command: Command, use: { preferToken?: boolean } = {}): Context {
  const options = command.optsWithGlobals<GlobalOptions>();
  const config = resolveConfig(options, process.env, process.cwd(), use);
  const client = createClient({ url: config.url, ...config.credential });
  const json = options.json === true;
  return {
    config,
    json,
    async call(label, work) {
      try {
        return await withSpinner(label, json, () => work(client));
      } catch (error) {
        // Only the client's failures: anything else is a bug of ours, reported with its stack.
        if (isApiClientError(error)) throw new CallFailed(error, config);
        throw error;
      }
    },
    show(value, forPeople) {
      if (json) printJson(value);
      else forPeople(value);
    },
  };
}
