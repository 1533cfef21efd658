import { apiFailureOf } from '@connect/client';
import { CommanderError } from 'commander';
import { CallFailed } from './context';
import { exitCodes, UsageError } from './errors';
import { changeLine } from './version-diff';

const write = (line: string) => process.stderr.write(`${line}\n`);

/** The innermost cause's message: fetch hides `ECONNREFUSED` two causes down. */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (current instanceof Error) {
    const code = (current as Error & { code?: unknown }).code;
    return typeof code === 'string' && !current.message.includes(code)
      ? `${current.message} (${code})`
      : current.message;
  }
  return String(current);
}

/** Whether fetch itself failed (refused, unknown host, reset): undici says `fetch failed`, with the reason as cause. */
function fetchFailed(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (current instanceof TypeError && current.message === 'fetch failed') return true;
  }
  return false;
}

/**
 * The API's messages name its REST query parameters (`force=true`); here the same choice is a flag
 * of the command, so the message names the flag.
 */
function inCliTerms(message: string): string {
  return message.replace(/\bforce=true\b/g, '--force');
}

function reportCallFailure(error: CallFailed): number {
  const { failure, config } = error;
  // A tRPC error without the API's data never came from the API: nothing answered, or something
  // else did (a proxy's HTML page). Say where we tried, as that is what is usually wrong.
  if (failure.data === undefined || failure.data === null) {
    write(
      fetchFailed(failure)
        ? `error: cannot reach the API at ${config.url} (${config.urlSource}): ${rootMessage(failure)}`
        : `error: ${config.url} (${config.urlSource}) did not answer as the Connect API: ${rootMessage(failure)}`,
    );
    return exitCodes.api;
  }
  const api = apiFailureOf(failure);
  if (!api) {
    write(`error: ${rootMessage(failure)}`);
    return exitCodes.api;
  }
  write(`error: ${inCliTerms(api.message)} (${api.code}, ${String(api.status)})`);
  for (const field of api.fields) write(`  ${field.field || '(body)'}: ${field.message}`);
  for (const message of api.messages ?? []) write(`  ${message.severity}: ${message.text}`);
  for (const change of api.breakingChanges ?? []) write(`  ${changeLine(change)}`);
  const unlisted = (api.breakingCount ?? 0) - (api.breakingChanges?.length ?? 0);
  if (unlisted > 0) write(`  … and ${String(unlisted)} more breaking change${unlisted === 1 ? '' : 's'}`);
  for (const inUse of api.definitions ?? []) {
    const users = inUse.referencedBy.map((ref) => `${ref.type} ${ref.name}`).join(', ');
    write(`  ${inUse.name}: used by ${users}`);
  }
  if (api.code === 'unauthenticated') {
    write(
      `  (sent the ${'apiKey' in config.credential ? 'API key' : 'token'} from ${config.credentialSource} to ${config.url})`,
    );
  }
  return exitCodes.api;
}

/** Prints why the command failed, on stderr, and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help) already.
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof UsageError) {
    write(`error: ${error.message}`);
    return exitCodes.usage;
  }
  if (error instanceof CallFailed) return reportCallFailure(error);
  // A bug of ours: the stack helps more than a one-line message would.
  write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return exitCodes.api;
}
