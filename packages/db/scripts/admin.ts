/**
 * `pnpm admin`: what an operator does against the database at DATABASE_URL before anyone can call
 * the API — create an organisation with its first API key — and, later, list and revoke keys
 * (a lost or leaked key, or one whose holder left). Keys are otherwise managed through the API by
 * the organisation's people (with an id_token); this is for when there is nobody to do that yet.
 *
 *   pnpm admin organisations create <name>            a new organisation and its first key
 *   pnpm admin organisations list
 *   pnpm admin keys create <organisation id> <name>   another key
 *   pnpm admin keys list <organisation id>
 *   pnpm admin keys revoke <key id>
 *   pnpm admin credentials new-key <key id>           a new CREDENTIALS_KEY entry (docs/connections.md)
 *   pnpm admin credentials rekey                      re-encrypt secrets under CREDENTIALS_KEY's first key
 *
 * Exit codes: 0 done, 1 not found or refused by the database, 2 wrong usage.
 */
import { parseArgs } from 'node:util';
import { type CredentialKeyring, keyringFrom, newCredentialKey } from '../src/credential-cipher.js';
import { rekeyCredentials, secretsPerKey } from '../src/rekey-credentials.js';
import { addApiKey, createOrganisationWithKey } from '../src/seed.js';
import { connect } from './connection.js';

const usage = `usage: pnpm admin organisations create <name> | organisations list
       pnpm admin keys create <organisation id> <name> | keys list <organisation id> | keys revoke <key id>
       pnpm admin credentials new-key <key id> | credentials rekey (with CREDENTIALS_KEY)
       (DATABASE_URL names the database; --json prints JSON)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
});
const [group, verb, ...rest] = positionals;
if (values.help === true) {
  console.log(usage);
  process.exit(0);
}

function fail(message: string, code: number): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

/** The positional arguments a command takes, or the usage and exit code 2. */
function args(count: number): string[] {
  if (rest.length !== count) fail(`wrong arguments\n${usage}`, 2);
  return rest;
}

const print = (value: unknown, forPeople: () => void) => {
  if (values.json === true) console.log(JSON.stringify(value, null, 2));
  else forPeople();
};

const command = `${group ?? ''} ${verb ?? ''}`;
const known = [
  'organisations create',
  'organisations list',
  'keys create',
  'keys list',
  'keys revoke',
  'credentials new-key',
  'credentials rekey',
];
if (!known.includes(command)) fail(`unknown command "${command.trim()}"\n${usage}`, 2);

// A new key needs no database: printed for the operator to put first in CREDENTIALS_KEY.
if (command === 'credentials new-key') {
  const [keyId = ''] = args(1);
  try {
    console.log(newCredentialKey(keyId));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 2);
  }
  process.exit(0);
}

const database = await connect(process.env.DATABASE_URL);
const { run } = database;
try {
  switch (command) {
    case 'organisations create': {
      const [name = ''] = args(1);
      if (name.trim() === '') fail('the organisation needs a name', 2);
      const created = await createOrganisationWithKey(run, name);
      print(created, () => {
        console.log(`organisation: ${created.organisationId}`);
        console.log(`API key:      ${created.apiKey}`);
        console.error('(the key is shown only this once: it is stored as a hash)');
      });
      break;
    }
    case 'organisations list': {
      args(0);
      const { rows } = await run(
        `SELECT o.id, o.name, o.created_at::text,
                (SELECT count(*) FROM api_keys k WHERE k.organisation_id = o.id AND k.revoked_at IS NULL)::int
         FROM organisations o ORDER BY o.created_at, o.id`,
      );
      type OrganisationRow = [string, string, string, number];
      const organisations = (rows as OrganisationRow[]).map(([id, name, createdAt, activeKeys]) => ({
        id,
        name,
        createdAt,
        activeKeys,
      }));
      print(organisations, () => {
        for (const o of organisations) console.log(`${o.id}  ${o.name}  ${String(o.activeKeys)} active key(s)`);
      });
      break;
    }
    case 'keys create': {
      const [organisationId = '', name = ''] = args(2);
      const created = await addApiKey(run, organisationId, name);
      if (created === null) fail(`no organisation ${organisationId}`, 1);
      print(created, () => {
        console.log(`key id:  ${created.id}`);
        console.log(`API key: ${created.apiKey}`);
        console.error('(the key is shown only this once: it is stored as a hash)');
      });
      break;
    }
    case 'keys list': {
      const [organisationId = ''] = args(1);
      const { rows } = await run(
        `SELECT id, name, prefix, created_at::text, revoked_at::text, expires_at::text
         FROM api_keys WHERE organisation_id = $1 ORDER BY created_at, id`,
        [organisationId],
      );
      // The columns as selected: text, and NULL for a key never revoked or without expiry.
      type KeyRow = [string, string, string, string, string | null, string | null];
      const keys = (rows as KeyRow[]).map(([id, name, prefix, createdAt, revokedAt, expiresAt]) => ({
        id,
        name,
        prefix,
        createdAt,
        revokedAt,
        expiresAt,
      }));
      print(keys, () => {
        for (const k of keys) {
          const state = k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`;
          console.log(`${k.id}  ${k.prefix}…  ${k.name}  ${state}`);
        }
      });
      break;
    }
    case 'credentials rekey': {
      args(0);
      let keyring: CredentialKeyring;
      try {
        keyring = await keyringFrom(process.env.CREDENTIALS_KEY ?? '');
      } catch (error) {
        fail(`CREDENTIALS_KEY: ${error instanceof Error ? error.message : String(error)}`, 2);
      }
      const report = await rekeyCredentials(run, keyring);
      const remaining = await secretsPerKey(run);
      print({ ...report, secretsPerKey: remaining }, () => {
        console.log(`re-encrypted ${String(report.rekeyed)} secret(s) under key ${keyring.current.id}`);
        for (const [key, count] of Object.entries(remaining)) console.log(`  key ${key}: ${String(count)} secret(s)`);
        for (const id of report.failed) console.error(`could not open the secret of connection credential ${id}`);
      });
      if (report.failed.length > 0) process.exitCode = 1;
      break;
    }
    case 'keys revoke': {
      const [keyId = ''] = args(1);
      const { rows } = await run(
        `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id`,
        [keyId],
      );
      if (rows.length === 0) fail(`no API key ${keyId}`, 1);
      print({ id: keyId, revoked: true }, () => {
        console.log(`revoked ${keyId} (isolates that verified it stop accepting it within API_KEY_CACHE_SECONDS)`);
      });
      break;
    }
  }
} catch (error) {
  // An id that is not a ULID, say: the database refuses it before anything changes.
  fail(error instanceof Error ? error.message : String(error), 1);
} finally {
  await database.close();
}
