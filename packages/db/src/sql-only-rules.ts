/**
 * The parts of the database that the drizzle schema cannot express and that therefore live only in
 * the SQL migrations: PL/pgSQL functions, triggers, deferred constraints and database settings.
 * drizzle-kit neither writes nor compares them, so this list is what keeps them from being lost;
 * the db tests check it against a freshly migrated database in both directions (each one listed
 * exists, and the database has no trigger, function or deferrable constraint that is not listed).
 */
export type SqlOnlyRule =
  | {
      kind: 'function';
      name: string;
      /** The migration (file name without `.sql`) that creates it. */
      migration: string;
      why: string;
    }
  | {
      kind: 'trigger';
      name: string;
      table: string;
      /** The trigger function it executes. */
      function: string;
      migration: string;
      why: string;
    }
  | {
      kind: 'deferred constraint';
      name: string;
      table: string;
      migration: string;
      why: string;
    }
  | {
      kind: 'database setting';
      name: string;
      value: string;
      migration: string;
      why: string;
    };

export const sqlOnlyRules: readonly SqlOnlyRule[] = [
  {
    kind: 'function',
    name: 'gen_ulid',
    migration: '0000_ulid_function',
    why: 'every primary key defaults to it, so multi-row copies get fresh ids in one statement',
  },
  {
    kind: 'deferred constraint',
    name: 'action_body_definitions_definition_fk',
    table: 'action_body_definitions',
    migration: '0001_schema',
    why: "a version's cascading delete removes definitions and the bodies linking them in no fixed order",
  },
  {
    kind: 'deferred constraint',
    name: 'trigger_body_definitions_definition_fk',
    table: 'trigger_body_definitions',
    migration: '0001_schema',
    why: "a version's cascading delete removes definitions and the bodies linking them in no fixed order",
  },
  {
    kind: 'function',
    name: 'connectors_default_is_published',
    migration: '0003_version_lifecycle_rules',
    why: 'trigger function: the default version of a connector must be published',
  },
  {
    kind: 'trigger',
    name: 'connectors_default_is_published',
    table: 'connectors',
    function: 'connectors_default_is_published',
    migration: '0003_version_lifecycle_rules',
    why: 'the default version of a connector must be published, under any interleaving of requests',
  },
  {
    kind: 'function',
    name: 'connector_versions_default_stays_published',
    migration: '0003_version_lifecycle_rules',
    why: 'trigger function: the default version of a connector cannot be unpublished',
  },
  {
    kind: 'trigger',
    name: 'connector_versions_default_stays_published',
    table: 'connector_versions',
    function: 'connector_versions_default_stays_published',
    migration: '0003_version_lifecycle_rules',
    why: 'the default version of a connector cannot be unpublished, under any interleaving of requests',
  },
  {
    kind: 'deferred constraint',
    name: 'action_responses_status_unique',
    table: 'action_responses',
    migration: '0004_child_rules',
    why: "a PUT replaces an action's responses in one statement; one response per status holds at commit",
  },
  {
    kind: 'deferred constraint',
    name: 'trigger_responses_status_unique',
    table: 'trigger_responses',
    migration: '0004_child_rules',
    why: "a PUT replaces a trigger's responses in one statement; one response per status holds at commit",
  },
  {
    kind: 'function',
    name: 'replace_each',
    migration: '0005_copy_schema_urls',
    // No longer called (rewrite_definition_urls replaced it); kept so that a Worker of the previous
    // release, still serving while the migrations run ahead of its replacement, can still copy.
    why: "a copy of a version rewrote the definition URLs inside the copied schemas to the copy's own",
  },
  {
    kind: 'function',
    name: 'rewrite_definition_urls',
    migration: '0008_copy_urls_one_pass',
    why: 'a copy of a version rewrites the definition URLs inside the copied schemas in one pass over each text (replace_each took one pass per link)',
  },
  {
    kind: 'function',
    name: 'url_path_segment',
    migration: '0011_any_version_name',
    why: 'schema URLs are built in SQL and a version name may be any text, so it is percent-encoded there as contracts encodes it',
  },
  {
    kind: 'database setting',
    name: 'jit',
    value: 'off',
    migration: '0006_no_jit',
    why: "JIT compiling costs more than the API's short statements take to run",
  },
  {
    kind: 'function',
    name: 'idempotency_claim',
    migration: '0010_idempotency_claim',
    why: 'a keyed request claims its Idempotency-Key (advisory lock, stored answer, request hash) in its own transaction',
  },
  {
    kind: 'function',
    name: 'versions_quota_recheck',
    migration: '0022_versions_quota_recheck',
    why: "a write adding a version counts the connector's versions again at the end, under the connector's lock and in a fresh snapshot, withdrawing the version over the quota, so creates and copies into one connector need not take the lock first",
  },
];
