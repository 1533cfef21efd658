import { readFile, writeFile } from 'node:fs/promises';
import { keyringFrom, newCredentialKey } from '@connect/db';

/**
 * The development `CREDENTIALS_KEY`: made once and kept in .dev (readable by its owner only), so
 * credentials stored by one `pnpm dev` still open in the next. A kept value that no longer parses
 * is an error rather than silently replaced: the secrets sealed with it would be lost.
 */
export async function devCredentialsKey(file: string): Promise<string> {
  let value: string;
  try {
    value = (await readFile(file, 'utf8')).trim();
  } catch {
    value = newCredentialKey('dev1');
    await writeFile(file, `${value}\n`, { mode: 0o600 });
  }
  await keyringFrom(value);
  return value;
}
