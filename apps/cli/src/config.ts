import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Credential } from '@connect/client';
import { UsageError } from './errors';

/** Where `pnpm dev` serves the API; used when no URL is configured. */
export const developmentUrl = 'http://127.0.0.1:8787';

/** The file `pnpm dev` writes at the workspace root (apps/api/scripts/dev.ts). */
export const devCredentialsPath = join('.dev', 'credentials.json');

export interface ConfigFlags {
  url?: string | undefined;
  apiKey?: string | undefined;
  token?: string | undefined;
}

export interface Config {
  url: string;
  /** Where the URL came from: `--url`, `CONNECT_URL`, the development credentials file or `default`. */
  urlSource: string;
  credential: Credential;
  /** Where the credential came from: a flag, a variable, or the path of the credentials file. */
  credentialSource: string;
}

/** The part of `.dev/credentials.json` the CLI uses (it also holds the organisation id). */
interface DevCredentials {
  apiKey?: unknown;
  idToken?: unknown;
  /** Where that `pnpm dev` serves, port included. */
  url?: unknown;
}

/** An empty variable (`CONNECT_TOKEN= connect …`) means unset, as shells make that easy to write. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The nearest `.dev/credentials.json` in `cwd` or above it, or null. */
export function findDevCredentials(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, devCredentialsPath);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readDevFile(path: string): DevCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return typeof parsed === 'object' && parsed !== null ? parsed : {};
}

function devCredential(saved: DevCredentials, path: string, preferToken: boolean): Credential {
  const apiKey = typeof saved.apiKey === 'string' && saved.apiKey !== '' ? saved.apiKey : undefined;
  const token = typeof saved.idToken === 'string' && saved.idToken !== '' ? saved.idToken : undefined;
  // The API key first: it does not expire, while the id_token lasts 12 hours — but API keys are
  // managed only by a user, so those commands take the id_token.
  if (preferToken && token !== undefined) return { token };
  if (apiKey !== undefined) return { apiKey };
  if (token !== undefined) return { token };
  throw new UsageError(`${path} holds neither an apiKey nor an idToken`);
}

/** One level's credential, refusing both kinds at once: which one to send would be a guess. */
function credentialOf(
  apiKey: string | undefined,
  token: string | undefined,
  names: [string, string],
): Credential | null {
  if (apiKey !== undefined && token !== undefined) {
    throw new UsageError(`give either ${names[0]} or ${names[1]}, not both`);
  }
  if (apiKey !== undefined) return { apiKey };
  if (token !== undefined) return { token };
  return null;
}

/**
 * The URL and credential to call the API with. Each comes from the first place that has it:
 * flags, then environment variables (CONNECT_URL, CONNECT_API_KEY, CONNECT_TOKEN), then the
 * development credentials file `pnpm dev` writes (its URL, port included, and key or id_token),
 * found by walking up from `cwd`. The URL defaults to the development server's usual address.
 */
export function resolveConfig(
  flags: ConfigFlags,
  env: NodeJS.ProcessEnv,
  cwd: string,
  options: { preferToken?: boolean } = {},
): Config {
  const devFile = findDevCredentials(cwd);
  // Read only when needed: flags and variables alone must work beside a damaged file.
  let dev: DevCredentials | undefined;
  const devOf = (path: string) => (dev ??= readDevFile(path));
  const flagUrl = present(flags.url);
  const envUrl = present(env.CONNECT_URL);
  const saved = flagUrl === undefined && envUrl === undefined && devFile !== null ? devOf(devFile).url : undefined;
  const devUrl = typeof saved === 'string' && saved !== '' ? saved : undefined;
  const url = flagUrl ?? envUrl ?? devUrl ?? developmentUrl;
  const urlSource =
    flagUrl !== undefined ? '--url' : envUrl !== undefined ? 'CONNECT_URL' : ((devUrl && devFile) ?? 'default');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${urlSource} is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${urlSource} must be an http or https URL: ${url}`);
  }

  const fromFlags = credentialOf(present(flags.apiKey), present(flags.token), ['--api-key', '--token']);
  if (fromFlags)
    return { url, urlSource, credential: fromFlags, credentialSource: 'apiKey' in fromFlags ? '--api-key' : '--token' };

  const fromEnv = credentialOf(present(env.CONNECT_API_KEY), present(env.CONNECT_TOKEN), [
    'CONNECT_API_KEY',
    'CONNECT_TOKEN',
  ]);
  if (fromEnv) {
    return {
      url,
      urlSource,
      credential: fromEnv,
      credentialSource: 'apiKey' in fromEnv ? 'CONNECT_API_KEY' : 'CONNECT_TOKEN',
    };
  }

  if (devFile !== null) {
    const credential = devCredential(devOf(devFile), devFile, options.preferToken ?? false);
    return { url, urlSource, credential, credentialSource: devFile };
  }

  throw new UsageError(
    'no credentials: pass --api-key or --token, set CONNECT_API_KEY or CONNECT_TOKEN, ' +
      `or run \`pnpm dev\` in the workspace (it writes ${devCredentialsPath})`,
  );
}

/** The credential as safe to print: its kind and first characters, never the secret. */
export function describeCredential(credential: Credential): { kind: 'apiKey' | 'token'; preview: string } {
  if (credential.apiKey !== undefined) return { kind: 'apiKey', preview: `${credential.apiKey.slice(0, 7)}…` };
  return { kind: 'token', preview: `${credential.token.slice(0, 7)}…` };
}
