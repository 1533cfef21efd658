import { limitTable, type ActionCreate, type TriggerCreate } from '@connect/contracts';
import { linkBody } from './bodies.js';
import type { DefinitionRegistry } from './definitions.js';
import { isObject, pointer, storable, type Json } from './json.js';
import { NameAllocator } from './names.js';
import { follow, mapParameters } from './parameters.js';
import type { UnmappedList } from './result.js';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
// Operation fields a version has no place for, and why each is reported.
const reportedFields = {
  callbacks: 'callbacks are not mapped: a version’s triggers come from webhooks',
  servers: 'servers other than the document’s are not mapped: a version has one base URL',
  security:
    'per-operation security requirements are not mapped: the connector’s auth scheme configs apply to every action',
} as const;

/** A mapped item with the pointer of what it was mapped from. */
export interface Located<T> {
  at: string;
  item: T;
}

type Common = Omit<ActionCreate, 'path' | 'parameters'>;

interface Mapping {
  document: Json;
  registry: DefinitionRegistry;
  unmapped: UnmappedList;
}

/** `/repos/{owner}` → `/repos/{{ param.owner }}`: the API's path template. */
export const pathTemplate = (path: string) => path.replace(/\{([^{}]+)\}/g, '{{ param.$1 }}');

function text(value: unknown, max: number, at: string, unmapped: UnmappedList): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = storable(value, max);
  if (clean.cut) unmapped.add(at, `cut to the ${max.toLocaleString('en-US')} characters it may hold`);
  return clean.text;
}

/** What actions and triggers share: name, texts, method, request body and responses. */
function mapCommon(name: string, method: string, op: Json, at: string, item: Located<Json>, m: Mapping): Common {
  for (const [field, reason] of Object.entries(reportedFields)) {
    if (op[field] !== undefined) m.unmapped.add(`${at}${pointer(field)}`, reason);
  }
  // A path item's summary and description apply to its operations that have none of their own.
  const [summaryFrom, summaryAt] = op.summary === undefined ? [item.item, item.at] : [op, at];
  const [descriptionFrom, descriptionAt] = op.description === undefined ? [item.item, item.at] : [op, at];
  const summary = text(summaryFrom.summary, 200, `${summaryAt}/summary`, m.unmapped);
  const description = text(
    descriptionFrom.description,
    limitTable.descriptionLength.default,
    `${descriptionAt}/description`,
    m.unmapped,
  );
  const common: Common = { type: 'http', name, method: method.toUpperCase() as Common['method'], responses: [] };
  if (summary !== undefined) common.summary = summary;
  if (description !== undefined) common.description = description;

  if (op.requestBody !== undefined) {
    const body = follow(m.document, op.requestBody, `${at}/requestBody`);
    if (isObject(body.value)) {
      common.requestBody = {
        required: body.value.required === true,
        definitions: linkBody(body.value, body.at, `${name}_request`, m.registry, m.unmapped),
      };
    } else m.unmapped.add(`${at}/requestBody`, 'is not a request body object');
  }
  const responses = isObject(op.responses) ? op.responses : {};
  for (const [status, raw] of Object.entries(responses)) {
    const here = `${at}/responses${pointer(status)}`;
    const code = status === 'default' ? null : /^[1-5]\d\d$/.test(status) ? Number(status) : undefined;
    const response = follow(m.document, raw, here);
    if (code === undefined || !isObject(response.value)) {
      m.unmapped.add(
        here,
        code === undefined ? 'a status range is not expressible: one response per status' : 'is not a response object',
      );
      continue;
    }
    if (response.value.headers !== undefined)
      m.unmapped.add(`${response.at}/headers`, 'response headers are not part of a version');
    if (response.value.links !== undefined)
      m.unmapped.add(`${response.at}/links`, 'response links are not part of a version');
    if (common.responses.length === limitTable.responsesPerOperation.default) {
      m.unmapped.add(
        here,
        `over the ${String(limitTable.responsesPerOperation.default)} responses an operation may have`,
      );
      continue;
    }
    const wanted = `${name}_response_${status === 'default' ? 'default' : status}`;
    common.responses.push({
      status: code,
      definitions: linkBody(response.value, response.at, wanted, m.registry, m.unmapped),
    });
  }
  return common;
}

/** Each operation of each path item, in document order, with the item it is in. */
function* operationsOf(items: Json, base: string, m: Mapping) {
  for (const [key, raw] of Object.entries(items)) {
    const item = follow(m.document, raw, base + pointer(key));
    if (!isObject(item.value)) {
      m.unmapped.add(base + pointer(key), 'is not a path item object');
      continue;
    }
    if (item.value.servers !== undefined) m.unmapped.add(`${item.at}/servers`, reportedFields.servers);
    for (const method of methods) {
      const op = item.value[method];
      if (op === undefined) continue;
      const at = item.at + pointer(method);
      if (isObject(op)) yield { key, item: item.value, itemAt: item.at, method, op, at };
      else m.unmapped.add(at, 'is not an operation object');
    }
  }
}

const operationNames = () => new NameAllocator(/[^a-zA-Z0-9_\-$]+/g, limitTable.childNameLength.default, 'operation');

/** `paths` → actions, named by operationId (else method and path), made valid and unique. */
export function mapActions(m: Mapping): Located<ActionCreate>[] {
  const names = operationNames();
  const actions: Located<ActionCreate>[] = [];
  const paths = isObject(m.document.paths) ? m.document.paths : {};
  for (const { key, item, itemAt, method, op, at } of operationsOf(paths, '/paths', m)) {
    const path = storable(pathTemplate(key));
    if (path.text.length > limitTable.urlLength.default) {
      m.unmapped.add(at, `its path is over the ${String(limitTable.urlLength.default)} characters an action’s may be`);
      continue;
    }
    const name = names.claim(typeof op.operationId === 'string' ? op.operationId : `${method}${key}`);
    const parameters = mapParameters(
      m.document,
      [
        { value: item.parameters, at: `${itemAt}/parameters` },
        { value: op.parameters, at: `${at}/parameters` },
      ],
      m.unmapped,
      true,
    );
    // A placeholder the document forgot to declare still needs a value to build the URL.
    for (const [, placeholder = ''] of key.matchAll(/\{([^{}]+)\}/g)) {
      if (parameters.some((p) => p.in === 'path' && p.name === placeholder)) continue;
      m.unmapped.add(at, `path parameter ${placeholder} is not declared: added as a required string`);
      parameters.push({ name: placeholder, in: 'path', required: true, type: 'string', default: undefined });
    }
    actions.push({
      at,
      item: { ...mapCommon(name, method, op, at, { at: itemAt, item }, m), path: path.text, parameters },
    });
  }
  return actions;
}

/** OpenAPI 3.1 `webhooks` → triggers, named by operationId (else webhook name and method). */
export function mapTriggers(m: Mapping): Located<TriggerCreate>[] {
  const names = operationNames();
  const triggers: Located<TriggerCreate>[] = [];
  const webhooks = isObject(m.document.webhooks) ? m.document.webhooks : {};
  for (const { key, item, itemAt, method, op, at } of operationsOf(webhooks, '/webhooks', m)) {
    const name = names.claim(typeof op.operationId === 'string' ? op.operationId : `${key}_${method}`);
    const parameters = mapParameters(
      m.document,
      [
        { value: item.parameters, at: `${itemAt}/parameters` },
        { value: op.parameters, at: `${at}/parameters` },
      ],
      m.unmapped,
      false,
    );
    // Path parameters were refused above (allowPath false); the filter tells the type so.
    const headerQueryCookie = parameters.flatMap((p) => (p.in === 'path' ? [] : [{ ...p, in: p.in }]));
    triggers.push({
      at,
      item: { ...mapCommon(name, method, op, at, { at: itemAt, item }, m), parameters: headerQueryCookie },
    });
  }
  return triggers;
}
