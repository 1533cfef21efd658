// Type tests, checked by `pnpm typecheck` (tsc): wrong inputs must not compile, and results carry
// the contracts' types. Nothing here runs.
import { expectTypeOf } from 'vitest';
import { createClient, idempotencyKey, type Action, type ApiFailure, type Definition, type RouterInputs } from '../src';

const api = createClient({ url: 'http://127.0.0.1:8787', apiKey: 'ck_example' });
const version = { connectorId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', version: 'latest' };

// @ts-expect-error a credential is required
createClient({ url: 'http://127.0.0.1:8787' });
// @ts-expect-error an API key or a token, not both
createClient({ url: 'http://127.0.0.1:8787', apiKey: 'ck_example', token: 'eyJ' });
createClient({ url: 'http://127.0.0.1:8787', token: 'eyJ' });

expectTypeOf(api.actions.get.query).returns.resolves.toEqualTypeOf<Action>();
expectTypeOf(api.definitions.create.mutate).returns.resolves.toEqualTypeOf<{ definitions: Definition[] }>();
expectTypeOf<RouterInputs['actions']['create']['method']>().toEqualTypeOf<
  'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'CONNECT' | 'TRACE'
>();
expectTypeOf<ApiFailure['code']>().toExtend<string>();

const action = { ...version, type: 'http' as const, name: 'getOrder', method: 'GET' as const, path: '/orders' };

// Calls that must not compile; the function is never run.
export function wrongInputs() {
  void api.actions.create.mutate(action);
  // A retryable call: its options carry the Idempotency-Key.
  void api.actions.create.mutate(action, idempotencyKey('0d4c6a52-5f0e-4b8e-9c1a-2f6b1e7d3a90'));
  // @ts-expect-error unknown HTTP method
  void api.actions.create.mutate({ ...action, method: 'FETCH' });
  // @ts-expect-error the version is required
  void api.actions.create.mutate({
    connectorId: version.connectorId,
    type: 'http',
    name: 'a',
    method: 'GET',
    path: '/',
  });
  // @ts-expect-error a link's id is a string
  void api.actions.create.mutate({ ...action, responses: [{ definitions: [{ definition: { id: 1 } }] }] });
  // @ts-expect-error definitions are created as a list
  void api.definitions.create.mutate({ ...version, name: 'Order' });
  // @ts-expect-error a trigger has no HTTP status outside responses
  void api.triggers.create.mutate({ ...version, type: 'http', name: 't', method: 'POST', status: 200 });
  // @ts-expect-error the connector id is a string
  void api.connectorVersions.get.query({ connectorId: 1, version: '1' });
}
