import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { idempotencyKeys } from './schema/idempotency.js';
import { bare, sql } from './sql-names.js';

// Requests sent with an Idempotency-Key. The database handle of such a request (`createDb` with
// `idempotency`) sends its first transaction as [statement timeout and claim (one statement), the
// request's own statements], each of those statements rewritten to store its result rows under the key in the
// same statement, so the answer is kept in the same round trip as the write and only when the
// write commits. A retry of the same request is refused by the claim (SQLSTATE IK200); the handle
// then reads the stored rows back and hands them to the query functions in place of running their
// statements, so the same mapping from rows to answer runs again and gives the same answer.
// Stored rows come back as JSON gives them: the same values as the driver's for the columns write
// statements answer with (json, text, booleans, int4), not for int8 or timestamps (strings in JSON).

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

/** The SQLSTATEs `idempotency_claim` raises (migration 0009). */
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
      sql`INSERT INTO ${k} (${bare(k.organisationId, k.route, k.key, k.part, k.requestHash, k.answer, k.expiresAt)})`,
    ).sql,
    read: dialect.sqlToQuery(
      sql`SELECT ${bare(k.answer)} FROM ${k}
          WHERE ${bare(k.organisationId)} = $1 AND ${bare(k.route)} = $2 AND ${bare(k.key)} = $3
            AND ${bare(k.expiresAt)} > now()
          ORDER BY ${bare(k.part)}`,
    ).sql,
  };
  return texts;
}

/** The claim statement, run after the statement timeout and before the request's statements. */
export const claimStatement = (claim: IdempotencyClaim): [string, string[]] => [
  fixedTexts().claim,
  [claim.organisationId, claim.route, claim.key, claim.requestHash],
];

/** The statement that reads a stored answer back, one row per part in order. */
export const storedAnswerStatement = (claim: IdempotencyClaim): [string, string[]] => [
  fixedTexts().read,
  [claim.organisationId, claim.route, claim.key],
];

/**
 * Statement `text` (with `params`), part `part` of a keyed request, rewritten to also store its rows:
 * a write statement (`writeStatement`) gets a store CTE next to its `answer`; any other statement
 * (locks, read-backs: no data-modifying CTE) is nested as `answer` whole.
 */
export function storingStatement(
  text: string,
  params: readonly unknown[],
  part: number,
  claim: IdempotencyClaim,
): [string, unknown[]] {
  const n = params.length;
  const store = `stored AS (${fixedTexts().insert}
    SELECT $${n + 1}, $${n + 2}, $${n + 3}, ${part}, $${n + 4}, coalesce(json_agg(answer), '[]'::json),
           now() + $${n + 5}::int * interval '1 second' FROM answer)`;
  const rewritten = text.endsWith(answerTail)
    ? `${text.slice(0, -answerTail.length)}, ${store}${answerTail}`
    : `WITH answer AS (${text}), ${store}${answerTail}`;
  return [
    rewritten,
    [...params, claim.organisationId, claim.route, claim.key, claim.requestHash, String(claim.ttlSeconds)],
  ];
}
