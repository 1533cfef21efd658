import { rows, sql } from './helpers';

export async function versionId(connectorId: string, name: string): Promise<string> {
  const [row] = await rows<{ id: string }>('SELECT id FROM connector_versions WHERE connector_id = $1 AND name = $2', [
    connectorId,
    name,
  ]);
  if (!row) throw new Error(`no version ${name}`);
  return row.id;
}

/**
 * Gives a version children with every kind of link, written straight with SQL (quicker for setting up):
 * definitions Order ⇄ Customer (a cycle) and Error; an action with a request body and two
 * responses (one the default); a trigger with a request body and a response.
 */
export async function seedChildren(version: string): Promise<void> {
  await sql.transaction((q) => [
    q`INSERT INTO definitions (id, version_id, name, accept, schema_content_type, schema_content, referrer_names)
      VALUES (gen_ulid(), ${version}, 'Order', '{application/json}', 'application/schema+json', '{"type":"object"}', '{Customer}'),
             (gen_ulid(), ${version}, 'Customer', '{application/json}', 'application/schema+json', '{"type":"object"}', '{Order}'),
             (gen_ulid(), ${version}, 'Error', '{application/json,text/xml}', 'application/schema+json', '{"type":"string"}', '{}')`,
    q`INSERT INTO actions (version_id, name, summary, method, path, parameters, request_body_required)
      VALUES (${version}, 'createOrder', 'Create an order', 'POST', '/orders',
              '[{"name":"shop","in":"path","required":true,"type":"string"}]', true)`,
    q`INSERT INTO action_responses (version_id, action_id, status, position)
      SELECT ${version}, a.id, s.status, s.position FROM actions a,
        (VALUES (201, 0), (NULL::int, 1)) AS s(status, position)
      WHERE a.version_id = ${version}`,
    q`INSERT INTO action_body_definitions (version_id, action_id, response_id, definition_id, position)
      SELECT ${version}, a.id, NULL, d.id, 0 FROM actions a JOIN definitions d ON d.version_id = a.version_id AND d.name = 'Order'
      WHERE a.version_id = ${version}
      UNION ALL
      SELECT ${version}, r.action_id, r.id, d.id, 0 FROM action_responses r
        JOIN definitions d ON d.version_id = r.version_id AND d.name = CASE WHEN r.status = 201 THEN 'Order' ELSE 'Error' END
      WHERE r.version_id = ${version}`,
    q`INSERT INTO triggers (version_id, name, method, path, request_body_required)
      VALUES (${version}, 'orderShipped', 'POST', '/hooks/shipped', false)`,
    q`INSERT INTO trigger_responses (version_id, trigger_id, status) SELECT ${version}, t.id, 200 FROM triggers t WHERE t.version_id = ${version}`,
    q`INSERT INTO trigger_body_definitions (version_id, trigger_id, response_id, definition_id)
      SELECT ${version}, t.id, NULL, d.id FROM triggers t JOIN definitions d ON d.version_id = t.version_id AND d.name = 'Customer'
      WHERE t.version_id = ${version}
      UNION ALL
      SELECT ${version}, r.trigger_id, r.id, d.id FROM trigger_responses r
        JOIN definitions d ON d.version_id = r.version_id AND d.name = 'Error'
      WHERE r.version_id = ${version}`,
  ]);
}
