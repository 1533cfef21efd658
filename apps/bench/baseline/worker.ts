/**
 * The bench's reference point, not part of the product: one route, one `neon()` INSERT … RETURNING
 * of a row like CreateConnectorVersion's, through the same driver and local endpoint — no routing
 * framework, validation, authentication or tRPC.
 */
import { neon, neonConfig } from '@neondatabase/serverless';

interface Env {
  DATABASE_URL: string;
  BASELINE_CONNECTOR_ID: string;
}

neonConfig.fetchEndpoint = (host, port) => `http://${host}:${port}/sql`;

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const sql = neon(env.DATABASE_URL);
    const rows = await sql`
      INSERT INTO connector_versions (connector_id, name, description)
      VALUES (${env.BASELINE_CONNECTOR_ID}, ${crypto.randomUUID()}, '')
      RETURNING id, name, description, created_at, updated_at, published_at`;
    return Response.json(rows[0], { status: 201 });
  },
};
