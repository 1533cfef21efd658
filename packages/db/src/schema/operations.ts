import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { createdAt, ulidId, updatedAt } from './columns.js';
import { connectorVersions } from './connectors.js';
import { definitions } from './definitions.js';

/** An HTTP parameter of an action or trigger, stored as the reference shapes it. */
export interface HttpParameter {
  name: string;
  in: 'cookie' | 'header' | 'path' | 'query';
  required: boolean;
  type: 'string' | 'number' | 'integer' | 'boolean';
  default?: unknown;
}

/**
 * Actions and triggers share one shape: an HTTP request with parameters, an optional request body
 * and responses, whose bodies link to definitions of the same version. Each gets its own tables
 * (built by this one function) so that names are unique per kind and the API maps one-to-one.
 */
function httpOperationTables<const K extends 'action' | 'trigger'>(kind: K) {
  const table = `${kind}s` as const;

  const operations = pgTable(
    table,
    {
      id: ulidId(),
      versionId: text('version_id')
        .notNull()
        .references(() => connectorVersions.id, { onDelete: 'cascade' }),
      name: text('name').notNull(),
      summary: text('summary').notNull().default(''),
      description: text('description').notNull().default(''),
      method: text('method').notNull(),
      path: text('path').notNull(),
      parameters: jsonb('parameters').$type<HttpParameter[]>().notNull().default([]),
      /** Null when the operation sends no request body; otherwise whether one is required. */
      requestBodyRequired: boolean('request_body_required'),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    (t) => [
      unique(`${table}_name_unique`).on(t.versionId, t.name),
      unique(`${table}_version_id_unique`).on(t.versionId, t.id),
      check(`${table}_name_format`, sql`${t.name} ~ '^[a-zA-Z0-9_$-]+$'`),
      check(
        `${table}_method_known`,
        sql`${t.method} IN ('GET','POST','PUT','PATCH','DELETE','HEAD','OPTIONS','CONNECT','TRACE')`,
      ),
    ],
  );

  const responses = pgTable(
    `${kind}_responses`,
    {
      id: ulidId(),
      versionId: text('version_id').notNull(),
      operationId: text(`${kind}_id`).notNull(),
      /** Null is the default response; unique with NULLS NOT DISTINCT allows only one. */
      status: integer('status'),
      position: smallint('position').notNull().default(0),
    },
    (t) => [
      unique(`${kind}_responses_status_unique`).on(t.operationId, t.status).nullsNotDistinct(),
      unique(`${kind}_responses_version_id_unique`).on(t.versionId, t.id),
      check(`${kind}_responses_status_range`, sql`${t.status} BETWEEN 100 AND 599`),
      foreignKey({
        name: `${kind}_responses_${kind}_fk`,
        columns: [t.versionId, t.operationId],
        foreignColumns: [operations.versionId, operations.id],
      }).onDelete('cascade'),
    ],
  );

  /** A link from a request body (response_id null) or a response body to a definition. */
  const bodyDefinitions = pgTable(
    `${kind}_body_definitions`,
    {
      id: ulidId(),
      versionId: text('version_id').notNull(),
      operationId: text(`${kind}_id`).notNull(),
      responseId: text('response_id'),
      definitionId: text('definition_id').notNull(),
      position: smallint('position').notNull().default(0),
    },
    (t) => [
      // Lead with the version: copies read a version's links, and the composite keys check by it.
      index(`${kind}_body_definitions_${kind}_idx`).on(t.versionId, t.operationId),
      index(`${kind}_body_definitions_definition_idx`).on(t.versionId, t.definitionId),
      foreignKey({
        name: `${kind}_body_definitions_${kind}_fk`,
        columns: [t.versionId, t.operationId],
        foreignColumns: [operations.versionId, operations.id],
      }).onDelete('cascade'),
      foreignKey({
        name: `${kind}_body_definitions_response_fk`,
        columns: [t.versionId, t.responseId],
        foreignColumns: [responses.versionId, responses.id],
      }).onDelete('cascade'),
      // Deleting a linked definition is refused while the link exists; checked at commit (deferred
      // in the migration) so that a version's cascading delete may remove both.
      foreignKey({
        name: `${kind}_body_definitions_definition_fk`,
        columns: [t.versionId, t.definitionId],
        foreignColumns: [definitions.versionId, definitions.id],
      }),
    ],
  );

  return { operations, responses, bodyDefinitions };
}

const actionTables = httpOperationTables('action');
export const actions = actionTables.operations;
export const actionResponses = actionTables.responses;
export const actionBodyDefinitions = actionTables.bodyDefinitions;

const triggerTables = httpOperationTables('trigger');
export const triggers = triggerTables.operations;
export const triggerResponses = triggerTables.responses;
export const triggerBodyDefinitions = triggerTables.bodyDefinitions;
