/**
 * What a query that can refuse returns: its value, or the reason it has none (something not
 * found, or a change the rules refuse). Every query module answers in this one shape, so callers
 * map reasons to API errors the same way everywhere. `Extra` carries what a refusal says beyond
 * its reason (the fields or messages behind it), where a query has that.
 */
export type Outcome<T, Reason extends string, Extra extends object = object> =
  | { readonly ok: true; readonly value: T }
  | ({ readonly ok: false; readonly reason: Reason } & Extra);

export const done = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });

export const refused = <Reason extends string>(reason: Reason): { readonly ok: false; readonly reason: Reason } => ({
  ok: false,
  reason,
});

/**
 * A representation with its entity tag: the MD5 of the JSON text the database builds for it, so the
 * tag changes exactly when the representation does (a connector's embedded versions, a version's
 * derived flags included), and a conditional write compares it in the statement that changes the row.
 */
// A type, not an interface: statement rows must be assignable to Record<string, unknown>.
export type Tagged<T> = {
  body: T;
  etag: string;
};
