/** One SQL statement as the Neon HTTP driver sends it: parameters are already text (or null). */
export interface Statement {
  query: string;
  params: (string | null)[];
}

/** A result in the Neon HTTP wire shape: every value is Postgres text output, rows are arrays. */
export interface StatementResult {
  command: string;
  rowCount: number;
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
}

export interface BatchOptions {
  isolationLevel?: 'ReadUncommitted' | 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
  readOnly?: boolean;
  deferrable?: boolean;
}

/** Runs statements one after another on one session; used for migrations and seeding. */
export type Session = (query: string, params?: (string | null)[]) => Promise<StatementResult>;

/** A database the endpoint can put behind the Neon protocol: embedded PGlite or a Postgres server. */
export interface SqlBackend {
  readonly description: string;
  query(statement: Statement): Promise<StatementResult>;
  /** All statements in one transaction: every one applies, or none does. */
  batch(statements: Statement[], options: BatchOptions): Promise<StatementResult[]>;
  /** An interactive transaction, for Node-side work such as migrations. */
  transaction<T>(work: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const isolationSql: Record<NonNullable<BatchOptions['isolationLevel']>, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

/** The BEGIN statement a batch's options ask for. */
export function beginStatement(options: BatchOptions): string {
  const modes: string[] = [];
  if (options.isolationLevel) modes.push(`ISOLATION LEVEL ${isolationSql[options.isolationLevel]}`);
  if (options.readOnly !== undefined) modes.push(options.readOnly ? 'READ ONLY' : 'READ WRITE');
  if (options.deferrable !== undefined) modes.push(options.deferrable ? 'DEFERRABLE' : 'NOT DEFERRABLE');
  return modes.length ? `BEGIN ${modes.join(', ')}` : 'BEGIN';
}
