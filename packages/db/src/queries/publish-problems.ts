import { type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { danglingLinks } from '../schema/dangling-links.js';
import { definitions } from '../schema/definitions.js';
import { actionResponses, actions, triggers } from '../schema/operations.js';
import { sql } from '../sql-names.js';

// Why a version cannot be published, as one query of `text` rows: shared by publish and its dry run,
// so that a dry run says exactly what a publish would.

/** The links a forced delete cut in version `versionId`: the referrer's kind and name, and the deleted name. */
function danglingReferrers(versionId: SQL): SQL {
  const dl = alias(danglingLinks, 'dl');
  const da = alias(actions, 'da');
  const dt = alias(triggers, 'dt');
  const dd = alias(definitions, 'dd');
  return sql`
    SELECT CASE WHEN ${dl.actionId} IS NOT NULL THEN 'action' WHEN ${dl.triggerId} IS NOT NULL THEN 'trigger' ELSE 'definition' END AS kind,
           coalesce(${da.name}, ${dt.name}, ${dd.name}) AS name, ${dl.targetName} AS target
    FROM ${danglingLinks} ${dl}
    LEFT JOIN ${actions} ${da} ON ${da.id} = ${dl.actionId}
    LEFT JOIN ${triggers} ${dt} ON ${dt.id} = ${dl.triggerId}
    LEFT JOIN ${definitions} ${dd} ON ${dd.id} = ${dl.definitionId}
    WHERE ${dl.versionId} = ${versionId}`;
}

/**
 * The problems of version `versionId`: an action without a response (a trigger needs none: the
 * platform answers a webhook with its default when none is configured), and a link cut by a forced
 * delete of definitions (`dangling_links`).
 */
export function publishProblems(versionId: SQL): SQL {
  const a = alias(actions, 'a');
  const ar = alias(actionResponses, 'r');
  return sql`
      SELECT format('action "%s" has no response', ${a.name}) AS text
      FROM ${actions} ${a}
      WHERE ${a.versionId} = ${versionId}
        AND NOT EXISTS (SELECT 1 FROM ${actionResponses} ${ar} WHERE ${ar.versionId} = ${versionId} AND ${ar.operationId} = ${a.id})
      UNION ALL
      SELECT format('%s "%s" refers to definition "%s", which was deleted', dangling.kind, dangling.name, dangling.target)
      FROM (${danglingReferrers(versionId)}) dangling`;
}
