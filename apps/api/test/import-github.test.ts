import type { ImportHttpConnectorResult } from '@connect/contracts';
import { importOpenApi } from '@connect/openapi-import';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
// GitHub's REST API description (OpenAPI 3.0.3, 13 MB): 1,223 operations, 969 component schemas.
import githubText from '@octokit/openapi/generated/api.github.com.json?raw';
import { newOrganisation, rows } from './helpers';
import { importSession } from './import-session';

// The document is larger than a request body may be (`bodyBytes`, 1 MiB), so it goes as a user's
// client sends it: GetProtocolUploadURL, a PUT of the file to that URL (into R2), then one import
// request naming the upload. The bar (≤ 10 s here) is measured by `pnpm bench` (import-github).

describe("GitHub's REST API imported whole", () => {
  it('makes every operation an action and every schema a definition, links intact, in one round trip', async () => {
    const mapping = importOpenApi(JSON.parse(githubText));
    if ('problems' in mapping) throw new Error('the document was refused');
    const s = importSession();
    const org = await newOrganisation('import-github');
    const bytes = new TextEncoder().encode(githubText).byteLength;
    const grant = await s.get(
      `/o/${org.organisationId}/protocols/http/upload-url?content_type=application/json&content_length=${String(bytes)}`,
      org.apiKey,
    );
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    const { uploadUrl, url } = grant.body as { uploadUrl: string; url: string };
    const put = await exports.default.fetch(
      new Request(uploadUrl, {
        method: 'PUT',
        body: githubText,
        headers: { 'content-type': 'application/json', 'content-length': String(bytes) },
      }),
    );
    await put.arrayBuffer();
    expect(put.status).toBe(204);

    const before = await s.databaseRequests();
    const sent = await s.send(`/o/${org.organisationId}/protocols/http/import`, org.apiKey, {
      json: { format: 'openapi', filetype: 'json', schemaURL: url },
    });
    expect(sent.status, JSON.stringify(sent.body).slice(0, 500)).toBe(201);
    // Parsing, validation and mapping happen in the Worker; the whole version is one round trip.
    expect(await s.databaseRequests()).toBe(before + 1);
    const result = sent.body as ImportHttpConnectorResult;
    expect(result.connector).toMatchObject({
      name: (JSON.parse(githubText) as { info: { title: string } }).info.title,
      baseUrl: 'https://api.github.com',
    });
    // The answer is bounded in size; it says what it left out, and the version holds everything.
    expect(result.messages.map((message) => message.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^the answer lists \d+ of the version's 1223 actions/)]),
    );
    expect(result.messages.filter((message) => message.severity !== 'info' || /^\//.test(message.text)).length).toBe(
      mapping.unmapped.length,
    );

    const [counts] = await rows<Record<string, number>>(
      `WITH v AS (SELECT v.id FROM connector_versions v WHERE v.connector_id = $1)
       SELECT (SELECT count(*)::int FROM actions a, v WHERE a.version_id = v.id) AS actions,
              (SELECT count(DISTINCT a.name)::int FROM actions a, v WHERE a.version_id = v.id) AS names,
              (SELECT count(*)::int FROM definitions d, v WHERE d.version_id = v.id) AS definitions,
              (SELECT count(*)::int FROM action_responses r, v WHERE r.version_id = v.id) AS responses,
              (SELECT count(*)::int FROM action_body_definitions b, v WHERE b.version_id = v.id) AS bodies,
              (SELECT coalesce(sum(cardinality(d.referrer_names)), 0)::int FROM definitions d, v WHERE d.version_id = v.id) AS links,
              (SELECT count(*)::int FROM (
                 SELECT DISTINCT d.id, m[1] FROM definitions d, v,
                   regexp_matches(d.schema_content, '"\\$ref":"#/\\$defs/([^"/]+)', 'g') m
                 WHERE d.version_id = v.id) r) AS refs`,
      [result.connector.id],
    );
    const operations = Object.values(
      (JSON.parse(githubText) as { paths: Record<string, Record<string, unknown>> }).paths,
    ).reduce(
      (count, item) =>
        count + Object.keys(item).filter((key) => /^(get|put|post|delete|patch|head|options|trace)$/.test(key)).length,
      0,
    );
    expect(counts).toEqual({
      actions: operations,
      names: operations,
      definitions: mapping.definitions.length,
      responses: mapping.actions.reduce((n, action) => n + action.responses.length, 0),
      bodies: mapping.actions.reduce(
        (n, action) =>
          n +
          (action.requestBody?.definitions.length ?? 0) +
          action.responses.reduce((m, response) => m + response.definitions.length, 0),
        0,
      ),
      // Every `$ref` between definitions is a link, and every link a `$ref`.
      links: counts?.refs,
      refs: counts?.links,
    });
    expect(counts?.actions).toBe(1223);
    expect(counts?.definitions).toBe(1470);
  }, 60_000);
});
