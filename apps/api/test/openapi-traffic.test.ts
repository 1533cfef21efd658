import { Validator, type Schema } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { jsonDefinition, orderAction, workspace } from './children';
import { call, json, origin } from './helpers';
import { idToken } from './support/id-tokens';

interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** `#/components/schemas/X` → `#/$defs/X`, so a schema can carry the components it refers to. */
const rebased = (schema: unknown): Schema =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as Schema;

/** Checks real requests and responses against the document the Worker serves. */
async function checker() {
  const document = await json<Document>(await call('GET', '/openapi.json'));
  const defs = rebased(document.components.schemas);
  const check = (label: string, schema: Schema | undefined, value: unknown, valid = true) => {
    expect(schema, `${label}: the document has a schema`).toBeDefined();
    const result = new Validator({ ...rebased(schema), $defs: defs }, '2020-12', false).validate(value);
    if (valid) expect(result.errors.slice(0, 5), `${label}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
    else expect(result.valid, `${label}: the document refuses ${JSON.stringify(value)}`).toBe(false);
  };
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    /** Sends a request and checks its body and the response against `template`'s operation. */
    async send(
      method: string,
      template: string,
      path: string,
      credential: string,
      body?: unknown,
      bodyValid = true,
    ): Promise<Response> {
      const operation = document.paths[template]?.[method.toLowerCase()];
      expect(operation, `${method} ${template} is in the document`).toBeDefined();
      if (body !== undefined)
        check(
          `${method} ${template} request`,
          operation?.requestBody?.content['application/json']?.schema,
          body,
          bodyValid,
        );
      const response = await call(method, path, { token: credential, body });
      const documented = operation?.responses[String(response.status)] ?? operation?.responses.default;
      if (response.status === 204) {
        expect(documented, `${method} ${template} documents 204`).toBe(operation?.responses['204']);
      } else {
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('json') && !template.includes('/schemas/')) {
          check(
            `${method} ${template} ${String(response.status)}`,
            documented?.content?.['application/json']?.schema,
            await response.clone().json(),
          );
        }
      }
      checked += 1;
      return response;
    },
  };
}

describe('the OpenAPI document against real traffic', () => {
  it('describes every request body sent and every response returned, errors included', async () => {
    const w = await workspace();
    const token = await idToken(w.org.organisationId);
    const c = await checker();
    const o = `/o/${w.org.organisationId}`;
    const conn = `${o}/connectors/${w.connectorId}`;
    const t = {
      connectors: '/o/{organisation_id}/connectors',
      connector: '/o/{organisation_id}/connectors/{connector_id}',
      create: '/o/{organisation_id}/protocols/http/connectors',
      versions: '/o/{organisation_id}/connectors/{connector_id}/versions',
      version: '/o/{organisation_id}/connectors/{connector_id}/versions/{version}',
    };
    const child = (rest: string) => `${t.version}${rest}`;
    const send = (method: string, template: string, path: string, body?: unknown, bodyValid = true) =>
      c.send(method, template, path, token, body, bodyValid);

    await send('POST', t.create, `${o}/protocols/http/connectors`, {
      name: 'Doc',
      baseUrl: 'https://doc.example.com',
      tags: { team: ['a'] },
    });
    await send('POST', t.create, `${o}/protocols/http/connectors`, { name: '', baseUrl: 'ftp://x' }, false);
    await send('GET', t.connectors, `${o}/connectors?first=1`);
    await send('PUT', t.connector, conn, { name: 'Renamed', baseUrl: 'https://doc.example.com' });
    await send('POST', t.versions, `${conn}/versions`, { name: '1', description: 'first' });
    await send('POST', t.versions, `${conn}/versions`, { name: '1' });
    await send('GET', t.versions, `${conn}/versions`);
    await send('POST', child('/definitions'), `${conn}/versions/1/definitions`, {
      definitions: [
        jsonDefinition('Order', ['Customer']),
        jsonDefinition('Customer', ['Order']),
        jsonDefinition('Error'),
      ],
    });
    await send('GET', child('/definitions'), `${conn}/versions/1/definitions?first=2`);
    await send('GET', child('/definitions/{definition_name}'), `${conn}/versions/1/definitions/Order`);
    await send('PUT', child('/definitions/{definition_name}'), `${conn}/versions/1/definitions/Error`, {
      accept: ['application/json'],
      description: 'd',
    });
    await send('POST', child('/actions'), `${conn}/versions/1/actions`, orderAction());
    await send('POST', child('/actions'), `${conn}/versions/1/actions`, { ...orderAction('bad'), responses: [{}, {}] });
    const action = await json(
      await send('GET', child('/actions/{action_name}'), `${conn}/versions/1/actions/createOrder`),
    );
    await send('PUT', child('/actions/{action_name}'), `${conn}/versions/1/actions/createOrder`, action);
    await send('GET', child('/actions'), `${conn}/versions/1/actions?name=order`);
    const trigger = {
      type: 'http',
      name: 'hook',
      method: 'POST',
      parameters: [],
      responses: [{ status: 200, definitions: [] }],
    };
    await send('POST', child('/triggers'), `${conn}/versions/1/triggers`, trigger);
    await send('PUT', child('/triggers/{trigger_name}'), `${conn}/versions/1/triggers/hook`, {
      ...trigger,
      requestBody: null,
    });
    await send('GET', child('/triggers'), `${conn}/versions/1/triggers`);
    await send('GET', child('/triggers/{trigger_name}'), `${conn}/versions/1/triggers/hook`);
    await send('DELETE', child('/definitions/{definition_name}'), `${conn}/versions/1/definitions/Order`);
    await send('DELETE', child('/definitions'), `${conn}/versions/1/definitions`, { names: ['Error'] });
    await send('POST', t.versions, `${conn}/versions`, { name: '2', fromVersion: '1' });
    await send('DELETE', child('/triggers/{trigger_name}'), `${conn}/versions/2/triggers/hook`);
    await send('DELETE', child('/actions/{action_name}'), `${conn}/versions/2/actions/createOrder`);
    await send('DELETE', child('/definitions'), `${conn}/versions/2/definitions`, { all: true });
    await send('POST', `${t.version}/publish`, `${conn}/versions/1/publish`);
    await send('POST', `${t.version}/publish`, `${conn}/versions/1/publish`);
    await send('PUT', t.version, `${conn}/versions/1`, { isDefault: true });
    await send('POST', `${t.version}/unpublish`, `${conn}/versions/1/unpublish`);
    await send('GET', t.version, `${conn}/versions/default`);
    await send('GET', t.connector, conn);
    await send('DELETE', t.version, `${conn}/versions/2`);
    await send('GET', t.version, `${conn}/versions/2`);
    await send('POST', '/o/{organisation_id}/api-keys', `${o}/api-keys`, { name: 'doc' });
    await send('GET', '/o/{organisation_id}/api-keys', `${o}/api-keys`);
    await send('DELETE', t.connector, `${conn}?force=true`);
    expect(c.checked).toBe(37);
  });

  it('serves the raw schema a definition’s url names, as documented', async () => {
    const w = await workspace();
    await w.version('1');
    const [order] = await w.definitions('1', [jsonDefinition('Order')]);
    const document = await json<Document>(await call('GET', `${origin}/api/connect/v1/openapi.json`));
    const template = '/o/{organisation_id}/schemas/{connector_id}/{version}/{schema_filename}';
    expect(Object.keys(document.paths[template]?.get?.responses['200']?.content ?? {})).toEqual(['*/*']);
    expect(order?.url.replace(/^.*\/api\/connect\/v1/, '')).toBe(
      template
        .replace('{organisation_id}', w.org.organisationId)
        .replace('{connector_id}', w.connectorId)
        .replace('{version}', '1')
        .replace('{schema_filename}', `${order?.id ?? ''}.json`),
    );
  });
});
