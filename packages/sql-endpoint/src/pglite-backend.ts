import { PGlite, types, type Results } from '@electric-sql/pglite';
import { beginStatement, type Session, type SqlBackend, type StatementResult } from './backend';

// PGlite would turn values into JS and back; these keep them as Postgres text both ways, as the
// Neon driver sends parameters as text and parses results itself.
const asText = (value: unknown) => value as string;
const textParsers = Object.fromEntries(Object.keys(types.parsers).map((oid) => [oid, asText]));
const textSerializers = Object.fromEntries(Object.keys(types.serializers).map((oid) => [oid, asText]));

function toResult(result: Results<unknown[]>, command: string): StatementResult {
  return {
    command,
    rowCount: result.affectedRows ?? result.rows.length,
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rows: result.rows as (string | null)[][],
  };
}

const commandOf = (query: string) => /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? '';

/**
 * Embedded Postgres (PGlite): `dataDir` persists between runs; without one the database lives in
 * memory. PGlite runs one statement at a time, so every transaction holds it exclusively.
 */
export async function pgliteBackend(dataDir?: string): Promise<SqlBackend> {
  const db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: textParsers,
    serializers: textSerializers,
  });

  const sessionOf =
    (tx: Pick<PGlite, 'query'>): Session =>
    async (query, params = []) =>
      toResult(await tx.query<unknown[]>(query, params, { rowMode: 'array' }), commandOf(query));

  return {
    description: dataDir ? `embedded PGlite in ${dataDir}` : 'embedded PGlite in memory',
    query: (statement) => sessionOf(db)(statement.query, statement.params),
    batch: (statements, options) =>
      db.transaction(async (tx) => {
        // PGlite opened the transaction already; apply the requested modes to it.
        const modes = beginStatement(options).replace(/^BEGIN ?/, '');
        if (modes) await tx.query(`SET TRANSACTION ${modes}`);
        const session = sessionOf(tx);
        const results: StatementResult[] = [];
        for (const s of statements) results.push(await session(s.query, s.params));
        return results;
      }),
    transaction: (work) => db.transaction((tx) => work(sessionOf(tx))),
    close: () => db.close(),
  };
}
