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
  'openapi-diff reads an undescribed body or property as admitting any value, so describing one narrows it; the version diff takes callers to send only what is documented';
const UNSUPPORTED = (keyword: string) =>
  `openapi-diff's schema diff (json-schema-diff) does not support the \`${keyword}\` keyword, so it sees no change`;

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
];
