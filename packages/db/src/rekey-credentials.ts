import { type CredentialKeyring, CredentialCipherError, openSecret, sealSecret } from './credential-cipher.js';
import type { RunStatement } from './run-statement.js';

/** What a re-encryption did: rows moved to the current key, and the ids of rows that did not open. */
export interface RekeyReport {
  rekeyed: number;
  failed: string[];
}

/**
 * Re-encrypts every credential secret sealed with a key other than the keyring's current one, a
 * batch at a time, while the API keeps running: each row is written only if its envelope is still
 * the one read (a credential changed meanwhile is left to the next run), and a row that does not
 * open (an unknown key, or an envelope moved from another row) is reported, never changed.
 */
export async function rekeyCredentials(
  run: RunStatement,
  keyring: CredentialKeyring,
  batch = 200,
): Promise<RekeyReport> {
  const report: RekeyReport = { rekeyed: 0, failed: [] };
  let after = '';
  for (;;) {
    const { rows } = await run(
      `SELECT id, organisation_id, credential_id, secret FROM connection_credentials
       WHERE secret IS NOT NULL AND split_part(secret, '.', 2) <> $1 AND id > $2
       ORDER BY id LIMIT $3`,
      [keyring.current.id, after, String(batch)],
    );
    const found = rows as [string, string, string, string][];
    for (const [id, organisationId, credentialId, envelope] of found) {
      after = id;
      const bound = { organisationId, credentialId };
      try {
        const plaintext = await openSecret(keyring, bound, envelope);
        const sealed = await sealSecret(keyring, bound, plaintext);
        const updated = await run(
          'UPDATE connection_credentials SET secret = $3 WHERE id = $1 AND secret = $2 RETURNING id',
          [id, envelope, sealed],
        );
        report.rekeyed += updated.rows.length;
      } catch (error) {
        if (!(error instanceof CredentialCipherError)) throw error;
        report.failed.push(id);
      }
    }
    if (found.length < batch) return report;
  }
}

/** How many secrets each key seals: what is left to re-encrypt before an old key can go. */
export async function secretsPerKey(run: RunStatement): Promise<Record<string, number>> {
  const { rows } = await run(
    `SELECT split_part(secret, '.', 2), count(*)::int FROM connection_credentials
     WHERE secret IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries((rows as [string, number][]).map(([key, count]) => [key, count]));
}
