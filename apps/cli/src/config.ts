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
  /** Where the URL came from: `--url`, `CONNECT_URL` or `default`. */
  urlSource: string;
  credential: Credential;
  /** Where the credential came from: a flag, a variable, or the path of the credentials file. */
  credentialSource: string;
}

/** The part of `.dev/credentials.json` the CLI uses (it also holds the organisation id). */
interface DevCredentials {
  apiKey?: unknown;
  idToken?: unknown;
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

function readDevCredentials(path: string): Credential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const saved = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as DevCredentials;
  // The API key first: it does not expire, while the id_token lasts 12 hours.
  if (typeof saved.apiKey === 'string' && saved.apiKey !== '') return { apiKey: saved.apiKey };
  if (typeof saved.idToken === 'string' && saved.idToken !== '') return { token: saved.idToken };
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
 * flags, then environment variables (CONNECT_URL, CONNECT_API_KEY, CONNECT_TOKEN), then — for the
 * credential — the development credentials `pnpm dev` writes, found by walking up from `cwd`.
 * The URL defaults to the development server's.
 */
export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, cwd: string): Config {
  const flagUrl = present(flags.url);
  const envUrl = present(env.CONNECT_URL);
  const url = flagUrl ?? envUrl ?? developmentUrl;
  const urlSource = flagUrl !== undefined ? '--url' : envUrl !== undefined ? 'CONNECT_URL' : 'default';
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

  const devFile = findDevCredentials(cwd);
  if (devFile) return { url, urlSource, credential: readDevCredentials(devFile), credentialSource: devFile };

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
