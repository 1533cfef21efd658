import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { idempotencyKeys } from './schema/idempotency.js';
import { bare, sql } from './sql-names.js';

// Requests sent with an Idempotency-Key. The database handle of such a request (`createDb` with
// `idempotency`) sends its first transaction as [statement timeout and claim (one statement), the
// request's own statements], those statements rewritten so that the last one stores the rows of
// every statement under the key, in one `idempotency_keys` row: the answer is kept in the same
// round trip as the write and only when the write commits. Each statement before the last keeps
// its rows as JSON in a transaction-local setting, which the last one reads (cheaper than a row,
// and an index entry, per statement). A retry of the same request is refused by the claim (SQLSTATE
// IK200); the handle then reads the stored rows back and hands them to the query functions in place
// of running their statements, so the same mapping from rows to answer runs again and gives the
// same answer. Stored rows come back as JSON gives them: the same values as the driver's for the
// columns write statements answer with (json, text, booleans, int4), not for int8 or timestamps
// (strings in JSON).

/** What a keyed request claims: its organisation, operation, key and the hash of its input. */
export interface IdempotencyClaim {
  readonly organisationId: string;
  /** The operation the key is used for: keys of one organisation are separate per operation. */
  readonly route: string;
  readonly key: string;
  /** SHA-256 (hex) of the canonical validated input, path parameters included. */
  readonly requestHash: string;
  /** How long the first answer is kept. */
  readonly ttlSeconds: number;
  /** Set by the handle when the answer given is the stored one (a replay). */
  replayed: boolean;
}

/** Why a keyed request was refused: the key is in use by a running request, or held another input. */
export class IdempotencyConflict extends Error {
  constructor(readonly reason: 'in_use' | 'reused') {
    super(
      reason === 'in_use'
        ? 'a request with this idempotency key is still running'
        : 'this idempotency key was used for another request',
    );
    this.name = 'IdempotencyConflict';
  }
}

/** The SQLSTATEs `idempotency_claim` raises (migrations 0010, 0020). */
export const claimStates = { replay: 'IK200', inUse: 'IK409', reused: 'IK422' } as const;

/**
 * How a write statement ends: its answer is the CTE `answer`, read back whole. A keyed request adds
 * its store CTE just before this tail; see `writeStatement`.
 */
export const answerTail = '\nTABLE answer';

/**
 * A write statement: data-modifying CTEs (`ctes`, without the leading WITH) and the SELECT of its
 * answer. Its rows are those of `select`; a request with an Idempotency-Key stores them in the same
 * statement (a data-modifying CTE must be at the top level, so a write cannot simply be nested
 * in another statement, as the statements that only read are).
 */
export const writeStatement = (ctes: SQL, select: SQL): SQL =>
  sql`WITH ${ctes}, answer AS (${select})${sql.raw(answerTail)}`;

const dialect = new PgDialect();
let texts: { claim: string; insert: string; read: string } | undefined;

/** The fixed texts, with the table's names from the schema, rendered once per isolate. */
function fixedTexts() {
  const k = idempotencyKeys;
  texts ??= {
    claim: 'SELECT idempotency_claim($1, $2, $3, $4)',
    insert: dialect.sqlToQuery(
      sql`INSERT INTO ${k} (${bare(k.organisationId, k.route, k.key, k.requestHash, k.answer, k.expiresAt)})`,
    ).sql,
    read: dialect.sqlToQuery(
      sql`SELECT ${bare(k.answer)} FROM ${k}
          WHERE ${bare(k.organisationId)} = $1 AND ${bare(k.route)} = $2 AND ${bare(k.key)} = $3
            AND ${bare(k.expiresAt)} > now()`,
    ).sql,
  };
  return texts;
}

/** The claim statement, run after the statement timeout and before the request's statements. */
export const claimStatement = (claim: IdempotencyClaim): [string, string[]] => [
  fixedTexts().claim,
  [claim.organisationId, claim.route, claim.key, claim.requestHash],
];

/** The statement that reads a stored answer back: one row, whose `answer` has one array per statement. */
export const storedAnswerStatement = (claim: IdempotencyClaim): [string, string[]] => [
  fixedTexts().read,
  [claim.organisationId, claim.route, claim.key],
];

/** The transaction-local setting that keeps the rows of statement `part` (JSON) for the last one. */
const partSetting = (part: number) => `connect.idempotency_part_${String(part)}`;

/** A statement's rows as one JSON array; `answer` is the CTE of its rows. */
const rowsJson = "coalesce(json_agg(answer), '[]'::json)";

/**
 * Statement `text` (with `params`), part `part` of `parts` statements of a keyed request, rewritten
 * so that its rows are kept: a statement before the last puts them in its setting (`partSetting`),
 * and the last stores them with those of the statements before it. A write statement
 * (`writeStatement`) gets its CTE next to its `answer`; any other statement (locks, read-backs: no
 * data-modifying CTE) is nested as `answer` whole. Either way the statement still answers its own
 * rows, in their order.
 */
export function storingStatement(
  text: string,
  params: readonly unknown[],
  part: number,
  parts: number,
  claim: IdempotencyClaim,
): [string, unknown[]] {
  const head = text.endsWith(answerTail) ? `${text.slice(0, -answerTail.length)}, ` : `WITH answer AS (${text}), `;
  if (part < parts - 1) {
    // `kept` is one row whether or not the statement has any, and the lateral join scans `answer`
    // once it is made, so the setting is made exactly once and the rows come out as they were.
    return [
      `${head}kept AS (SELECT set_config('${partSetting(part)}', ${rowsJson}::text, true) AS done FROM answer)
    SELECT kept_rows.* FROM kept CROSS JOIN LATERAL (SELECT * FROM answer WHERE kept.done IS NOT NULL) kept_rows`,
      [...params],
    ];
  }
  const n = params.length;
  // The answer: '[' part 0 ',' part 1 … ']' put together as text, then read as json once.
  const before = Array.from({ length: part }, (_, p) => `current_setting('${partSetting(p)}') || ','`);
  const answer = `('[' || ${[...before, `${rowsJson}::text`].join(' || ')} || ']')::json`;
  const store = `stored AS (${fixedTexts().insert}
    SELECT $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, ${answer}, now() + $${n + 5}::int * interval '1 second' FROM answer)`;
  return [
    `${head}${store}${answerTail}`,
    [...params, claim.organisationId, claim.route, claim.key, claim.requestHash, String(claim.ttlSeconds)],
  ];
}
