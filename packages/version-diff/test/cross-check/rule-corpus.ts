import type { VersionSnapshot } from '@connect/contracts';
import { action, definition, schemaPair, version } from '../snapshots.js';

/**
 * One pair of versions per breaking-change rule, with the verdicts both tools gave when the corpus
 * was recorded (the test checks that they still do), and why they differ where they do.
 */
export interface RulePair {
  rule: string;
  from: VersionSnapshot;
  to: VersionSnapshot;
  /** The version diff's verdict: breaking or not. */
  ours: boolean;
  /** openapi-diff's verdict on the two versions written as OpenAPI documents. */
  tool: boolean;
  /** Why the verdicts differ; required where they do. */
  why?: string;
}

/** openapi-diff compares no parameter (its OpenAPI 3 support table: the Parameter Object is not supported). */
const PARAMETERS = 'openapi-diff does not compare parameters: name, in, required and schema are all unsupported';
/**
 * openapi-diff reads schemas as sets of values: an operation without a request body, or an object
 * without `additionalProperties: false`, admits any value there, so describing it narrows what callers
 * may send. The version diff takes callers to send what the version documents, so describing an
 * optional body or property breaks none of them.
 */
const OPEN_SETS =
  'openapi-diff reads an undescribed body or property as admitting any value, so describing one narrows it (and removing a body widens it); the version diff takes callers to send only what is documented, and a removed body as no longer read';
const UNSUPPORTED = (keyword: string) =>
  `openapi-diff's schema diff (json-schema-diff) does not support the \`${keyword}\` keyword, so it sees no change`;

/** The OpenAPI 3.0 documents the tool reads have no webhooks, so a version's triggers are not in them. */
const NO_TRIGGERS = 'OpenAPI 3.0 has no webhooks: the documents openapi-diff reads carry no triggers';

/** A definition is addressable by its schema URL; an OpenAPI component nothing references changes no operation. */
const UNLINKED =
  "a component schema no operation references changes no operation for openapi-diff; a definition's schema URL can be fetched, so removing it breaks whoever fetches it";
/** openapi-diff compares request bodies as application/json only (its support table). */
const JSON_ONLY = 'openapi-diff compares only application/json bodies, so dropping another media type goes unseen';

/** OpenAPI 3.0 writes a `null` type as `nullable: true`, which openapi-diff's schema diff does not read. */
const NULLABLE =
  'OpenAPI 3.0 writes a type that allows null as `nullable: true`, and openapi-diff does not read `nullable`, so it sees no change';

const order = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const withProperty = (name: string, schema: unknown, required = false) => ({
  ...order,
  properties: { ...order.properties, [name]: schema },
  required: required ? [...order.required, name] : order.required,
});
const status = (values: string[]) => withProperty('status', { type: 'string', enum: values });

const base = version('1.0.0', {
  actions: [action('getOrder', { path: '/orders' })],
  definitions: [definition('Order', order)],
});
const next = (over: Parameters<typeof action>[1]) =>
  version('1.1.0', {
    actions: [action('getOrder', { path: '/orders', ...over })],
    definitions: [definition('Order', order)],
  });
const query = (name: string, required: boolean, type = 'string') => [{ name, in: 'query', required, type }];

const pair = (
  rule: string,
  from: VersionSnapshot,
  to: VersionSnapshot,
  ours: boolean,
  tool: boolean,
  why?: string,
): RulePair => ({
  rule,
  from,
  to,
  ours,
  tool,
  ...(why === undefined ? {} : { why }),
});
const schemaRule = (
  rule: string,
  side: 'request' | 'response',
  before: unknown,
  after: unknown,
  ours: boolean,
  tool: boolean,
  why?: string,
) => {
  const { from, to } = schemaPair(side, before, after);
  return pair(rule, from, to, ours, tool, why);
};

export const rulePairs: RulePair[] = [
  pair('an action removed', base, version('1.1.0', { definitions: [definition('Order', order)] }), true, true),
  pair('an action added', version('1.0.0', { definitions: [definition('Order', order)] }), base, false, false),
  pair('the method changed', base, next({ method: 'POST' }), true, true),
  pair('the path changed', base, next({ path: '/order-list' }), true, true),
  pair('a required query parameter added', base, next({ parameters: query('shop', true) }), true, false, PARAMETERS),
  pair('an optional query parameter added', base, next({ parameters: query('shop', false) }), false, false),
  pair(
    'a query parameter became required',
    next({ parameters: query('limit', false) }),
    next({ parameters: query('limit', true) }),
    true,
    false,
    PARAMETERS,
  ),
  pair(
    'a query parameter became optional',
    next({ parameters: query('limit', true) }),
    next({ parameters: query('limit', false) }),
    false,
    false,
  ),
  pair(
    'a query parameter retyped',
    next({ parameters: query('limit', false) }),
    next({ parameters: query('limit', false, 'integer') }),
    true,
    false,
    PARAMETERS,
  ),
  pair(
    'a required request body added',
    base,
    next({ requestBody: { required: true, definitions: ['Order'] } }),
    true,
    true,
  ),
  pair(
    'an optional request body added',
    base,
    next({ requestBody: { required: false, definitions: ['Order'] } }),
    false,
    true,
    OPEN_SETS,
  ),
  pair('a response removed', base, next({ responses: [{ status: 404, definitions: [] }] }), true, true),
  pair('the summary changed', base, next({ summary: 'Read orders' }), false, false),
  schemaRule(
    'a required request property added',
    'request',
    order,
    withProperty('note', { type: 'string' }, true),
    true,
    true,
  ),
  schemaRule(
    'an optional request property added',
    'request',
    order,
    withProperty('note', { type: 'string' }),
    false,
    true,
    OPEN_SETS,
  ),
  schemaRule(
    'a request property became required',
    'request',
    withProperty('note', { type: 'string' }),
    withProperty('note', { type: 'string' }, true),
    true,
    true,
  ),
  schemaRule('a response property removed', 'response', withProperty('note', { type: 'string' }), order, true, true),
  schemaRule('a request property removed', 'request', withProperty('note', { type: 'string' }), order, false, false),
  schemaRule(
    'a response property retyped',
    'response',
    order,
    { ...order, properties: { id: { type: 'integer' } } },
    true,
    true,
  ),
  schemaRule(
    'a request enum narrowed',
    'request',
    status(['open', 'closed']),
    status(['open']),
    true,
    false,
    UNSUPPORTED('enum'),
  ),
  schemaRule('a request enum widened', 'request', status(['open']), status(['open', 'closed']), false, false),
  schemaRule(
    'a response enum widened',
    'response',
    status(['open']),
    status(['open', 'closed']),
    true,
    false,
    UNSUPPORTED('enum'),
  ),
  schemaRule('a response enum narrowed', 'response', status(['open', 'closed']), status(['open']), false, false),
  schemaRule(
    'a request property gains a format',
    'request',
    order,
    { ...order, properties: { id: { type: 'string', format: 'email' } } },
    true,
    false,
    UNSUPPORTED('format'),
  ),
  schemaRule(
    'a request property gains a pattern',
    'request',
    order,
    { ...order, properties: { id: { type: 'string', pattern: '^[a-z]+$' } } },
    true,
    false,
    UNSUPPORTED('pattern'),
  ),
  pair(
    'a trigger removed',
    version('1.0.0', { triggers: [action('orderShipped', { path: undefined })] }),
    version('1.1.0'),
    true,
    false,
    NO_TRIGGERS,
  ),
  pair('a query parameter removed', next({ parameters: query('limit', false) }), base, false, false),
  pair(
    'a request body removed',
    next({ requestBody: { required: false, definitions: ['Order'] } }),
    base,
    true,
    false,
    OPEN_SETS,
  ),
  pair(
    'a response added',
    base,
    next({
      responses: [
        { status: 200, definitions: ['Order'] },
        { status: 404, definitions: [] },
      ],
    }),
    false,
    false,
  ),
  pair(
    'a definition nothing links removed',
    version('1.0.0', { definitions: [definition('Order', order), definition('Note', { type: 'string' })] }),
    version('1.1.0', { definitions: [definition('Order', order)] }),
    true,
    false,
    UNLINKED,
  ),
  pair(
    'a media type dropped from a definition sent',
    version('1.0.0', {
      actions: [action('createOrder', { method: 'POST', requestBody: { required: true, definitions: ['Order'] } })],
      definitions: [definition('Order', order, { accept: ['application/json', 'application/xml'] })],
    }),
    version('1.1.0', {
      actions: [action('createOrder', { method: 'POST', requestBody: { required: true, definitions: ['Order'] } })],
      definitions: [definition('Order', order)],
    }),
    true,
    false,
    JSON_ONLY,
  ),
  schemaRule(
    'a closed request object loses a property',
    'request',
    { ...withProperty('note', { type: 'string' }), additionalProperties: false },
    { ...order, additionalProperties: false },
    true,
    true,
  ),
  schemaRule(
    'a response property no longer required',
    'response',
    withProperty('note', { type: 'string' }, true),
    withProperty('note', { type: 'string' }),
    true,
    true,
  ),
  schemaRule(
    'a request type narrowed',
    'request',
    withProperty('n', { type: ['string', 'null'] }),
    withProperty('n', { type: 'string' }),
    true,
    false,
    NULLABLE,
  ),
  schemaRule(
    'a response type widened',
    'response',
    withProperty('n', { type: 'string' }),
    withProperty('n', { type: ['string', 'null'] }),
    true,
    false,
    NULLABLE,
  ),
  schemaRule(
    'a request minLength raised',
    'request',
    withProperty('n', { type: 'string', minLength: 1 }),
    withProperty('n', { type: 'string', minLength: 3 }),
    true,
    true,
  ),
  schemaRule(
    'a request maximum lowered',
    'request',
    withProperty('n', { type: 'integer', maximum: 100 }),
    withProperty('n', { type: 'integer', maximum: 10 }),
    true,
    true,
  ),
  schemaRule(
    'a request bound loosened',
    'request',
    withProperty('n', { type: 'integer', maximum: 10 }),
    withProperty('n', { type: 'integer', maximum: 100 }),
    false,
    false,
  ),
  schemaRule(
    'a response bound loosened',
    'response',
    withProperty('n', { type: 'integer', maximum: 10 }),
    withProperty('n', { type: 'integer', maximum: 100 }),
    true,
    true,
  ),
  schemaRule(
    'a request allOf entry added',
    'request',
    { allOf: [order] },
    { allOf: [order, { type: 'object', required: ['id'], properties: { id: { minLength: 2 } } }] },
    true,
    true,
  ),
  schemaRule(
    'a request anyOf entry removed',
    'request',
    withProperty('n', { anyOf: [{ type: 'string' }, { type: 'integer' }] }),
    withProperty('n', { anyOf: [{ type: 'string' }] }),
    true,
    true,
  ),
  schemaRule(
    'a request oneOf entry removed',
    'request',
    withProperty('n', { oneOf: [{ type: 'string' }, { type: 'integer' }] }),
    withProperty('n', { oneOf: [{ type: 'string' }] }),
    true,
    true,
  ),
];
