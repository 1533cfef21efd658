import { PGlite, type ParserOptions, type Results, type SerializerOptions } from '@electric-sql/pglite';
import { beginStatement, type Session, type SqlBackend, type StatementResult } from './backend.js';

/**
 * PGlite turns values into JS and back, with parsers it also adds for array types at start-up.
 * The endpoint must pass Postgres text through untouched both ways (the Neon driver sends
 * parameters as text and parses results itself), so every type known to the database gets an
 * identity parser and serializer, per query, which overrides PGlite's own.
 */
interface TextCodecs {
  parsers: ParserOptions;
  serializers: SerializerOptions;
}

const asText = (value: unknown) => value as string;

async function textCodecs(db: PGlite): Promise<TextCodecs> {
  const result = await db.query<[number]>('SELECT oid::int FROM pg_type', [], { rowMode: 'array' });
  const oids = result.rows.map(([oid]) => oid);
  return {
    parsers: Object.fromEntries(oids.map((oid) => [oid, asText])),
    serializers: Object.fromEntries(oids.map((oid) => [oid, asText])),
  };
}

function toResult(result: Results<unknown[]>, command: string): StatementResult {
  return {
    command,
    rowCount: ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(command)
      ? (result.affectedRows ?? 0)
      : result.rows.length,
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
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  let codecs = await textCodecs(db);

  const sessionOf =
    (tx: Pick<PGlite, 'query'>): Session =>
    async (query, params = []) =>
      toResult(await tx.query<unknown[]>(query, params, { rowMode: 'array', ...codecs }), commandOf(query));

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
    async transaction(work) {
      const result = await db.transaction((tx) => work(sessionOf(tx)));
      // Interactive transactions run migrations, which may create types: learn them.
      codecs = await textCodecs(db);
      return result;
    },
    close: () => db.close(),
  };
}
