// The README's example of the typed client, kept here so it is compiled by `pnpm typecheck` and
// run against the Worker, in workerd and in a browser: create → add an action → copy → publish →
// latest.
import { apiFailureOf, createClient, type ClientOptions } from '@connect/client';

export async function quickstart(options: ClientOptions) {
  const api = createClient(options);

  const connector = await api.connectors.create.mutate({ name: 'Shop', baseUrl: 'https://shop.example.com' });
  const at = { connectorId: connector.id, version: '1.0.0' };
  await api.connectorVersions.create.mutate({ connectorId: connector.id, name: '1.0.0' });

  await api.definitions.create.mutate({
    ...at,
    definitions: [
      {
        name: 'Order',
        accept: ['application/json'],
        schema: { contentType: 'application/schema+json', content: JSON.stringify({ type: 'object' }) },
      },
    ],
  });
  await api.actions.create.mutate({
    ...at,
    type: 'http',
    name: 'getOrder',
    method: 'GET',
    path: '/orders/{{ param.id }}',
    parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
    responses: [{ status: 200, definitions: [{ definition: { name: 'Order' } }] }],
  });

  // A copy with all its children, published: it becomes `latest`.
  await api.connectorVersions.create.mutate({ connectorId: connector.id, name: '1.1.0', fromVersion: '1.0.0' });
  const { version } = await api.connectorVersions.publish.mutate({ connectorId: connector.id, version: '1.1.0' });

  // Errors carry the API's code and the fields that are wrong.
  try {
    await api.actions.create.mutate({ ...at, type: 'http', name: 'bad name', method: 'GET', path: '/' });
  } catch (error) {
    const failure = apiFailureOf(error);
    if (!failure) throw error;
    console.log(
      failure.code,
      failure.fields.map((f) => f.field),
    ); // invalid_argument [ 'name' ]
  }

  const latest = await api.actions.get.query({ connectorId: connector.id, version: 'latest', actionName: 'getOrder' });
  return { version, latest };
}
