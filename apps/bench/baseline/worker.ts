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
  async fetch(request: Request, env: Env): Promise<Response> {
    // The same request the create scenario sends: a JSON body naming the version.
    const { name } = (await request.json()) as { name: string };
    const sql = neon(env.DATABASE_URL);
    const rows = await sql`
      INSERT INTO connector_versions (connector_id, name, description)
      VALUES (${env.BASELINE_CONNECTOR_ID}, ${name}, '')
      RETURNING id, name, description, created_at, updated_at, published_at`;
    return Response.json(rows[0], { status: 201 });
  },
};
