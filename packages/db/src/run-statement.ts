/**
 * Runs one parameterised statement and returns its rows as arrays: what the Node-side helpers
 * (migrations, seeding) need from whichever client the caller has.
 */
export type RunStatement = (query: string, params?: (string | null)[]) => Promise<{ rows: unknown[][] }>;
