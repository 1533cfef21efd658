import { z } from 'zod';
import { limitTable } from './limits.js';
import { connectorVersionGetInput } from './connector-version.js';
import { childError, definition } from './definition.js';
import { storableText, ulid } from './names.js';
import { pageInfo } from './page.js';

// Actions and triggers (HTTP) share one shape: a request with parameters, an optional request
// body and responses, whose bodies link definitions of the same version. Triggers have no path
// (the platform calls them) and no path parameters.

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE'] as const;
export const httpMethod = z.enum(httpMethods, { error: `must be one of ${httpMethods.join(', ')}` });

/** Action and trigger names: unique within their version and kind. */
export const operationNamePattern = /^[a-zA-Z0-9_\-$]+$/;
export const operationName = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(limitTable.childNameLength.default, `must be at most ${String(limitTable.childNameLength.default)} characters`)
  .regex(operationNamePattern, 'must use only letters, digits, _, - and $');

/**
 * A link to a definition of the same version, by id or by name. A whole definition (as reads
 * return it) is accepted too: its id is used, so a read can be sent back in a PUT.
 */
export const definitionRef = z
  .object({ id: ulid.optional(), name: storableText(z.string().max(128)).optional() })
  .refine((ref) => ref.id !== undefined || ref.name !== undefined, 'must give the definition’s id or name');
export type DefinitionRef = z.infer<typeof definitionRef>;

/** An entry of a body's `definitions`; the entry's own id is the server's and is ignored. */
const bodyDefinitionCreate = z.object({ id: z.string().optional(), definition: definitionRef });

const bodyDefinitions = z
  .array(bodyDefinitionCreate)
  .max(limitTable.linksPerBody.default, `must link at most ${String(limitTable.linksPerBody.default)} definitions`);

const scalar = z.union([storableText(z.string().max(4096)), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean',
});

function parameterSchema<const In extends readonly [string, ...string[]]>(places: In) {
  return z.object({
    name: storableText(z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters')),
    in: z.enum(places, { error: `must be one of ${places.join(', ')}` }),
    required: z.boolean({ error: 'must be true or false' }),
    type: z.enum(['string', 'number', 'integer', 'boolean'], { error: 'must be string, number, integer or boolean' }),
    /** Null is no default: clients generated from the reference send it for an unset one. */
    default: scalar.nullish().transform((value) => value ?? undefined),
    /** Reserved by the reference (schema to be decided): only an empty object is accepted. */
    completion: z.strictObject({}).optional(),
  });
}

const responseCreate = z.object({
  id: z.string().optional(),
  /** Absent (or null) for the default response, used when no other status matches. */
  status: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(100, 'must be an HTTP status (100–599)')
    .max(599, 'must be an HTTP status (100–599)')
    .nullish(),
  definitions: bodyDefinitions.default([]),
});

const requestBodyCreate = z.object({
  required: z.boolean({ error: 'must be true or false' }),
  definitions: bodyDefinitions,
});

/** Rules across entries: one response per status, one default, parameters unique by place. */
function checkEntries(
  body: { responses: { status?: number | null | undefined }[]; parameters: { name: string; in: string }[] },
  ctx: z.RefinementCtx,
) {
  const statuses = new Set<number | null>();
  body.responses.forEach((response, index) => {
    const status = response.status ?? null;
    if (statuses.has(status)) {
      ctx.addIssue({
        code: 'custom',
        path: ['responses', index, 'status'],
        message:
          status === null
            ? 'only one default response (without status) is allowed'
            : `status ${String(status)} is already used by another response`,
      });
    }
    statuses.add(status);
  });
  const parameters = new Set<string>();
  body.parameters.forEach((parameter, index) => {
    const key = `${parameter.in}:${parameter.name}`;
    if (parameters.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['parameters', index, 'name'],
        message: `is already a ${parameter.in} parameter`,
      });
    }
    parameters.add(key);
  });
}

const text = (max: number) => storableText(z.string().max(max, `must be at most ${String(max)} characters`));

const commonFields = {
  type: z.literal('http', { error: 'must be "http" (the connector’s protocol)' }),
  summary: text(200).optional(),
  description: text(2000).optional(),
  method: httpMethod,
  requestBody: requestBodyCreate.nullish(),
  responses: z
    .array(responseCreate)
    .max(
      limitTable.responsesPerOperation.default,
      `must hold at most ${String(limitTable.responsesPerOperation.default)} responses`,
    )
    .default([]),
};

const actionFields = {
  ...commonFields,
  path: text(limitTable.urlLength.default),
  parameters: z
    .array(parameterSchema(['cookie', 'header', 'path', 'query']))
    .max(limitTable.parametersPerOperation.default)
    .default([]),
};

const triggerFields = {
  ...commonFields,
  parameters: z
    .array(parameterSchema(['cookie', 'header', 'query']))
    .max(limitTable.parametersPerOperation.default)
    .default([]),
};

/** Body of CreateAction. */
export const actionCreate = z.object({ name: operationName, ...actionFields }).superRefine(checkEntries);
/** Body of CreateTrigger. */
export const triggerCreate = z.object({ name: operationName, ...triggerFields }).superRefine(checkEntries);
export type ActionCreate = z.infer<typeof actionCreate>;
export type TriggerCreate = z.infer<typeof triggerCreate>;

/**
 * Body of UpdateAction / UpdateTrigger: the whole operation as a read returns it (or as created).
 * `id` and `name` are read-only — sent back as they are, or a 400. Responses and links are
 * replaced as a whole, and get new ids; `errors` and timestamps are the server's and are ignored.
 */
export const actionUpdate = z
  .object({ id: storableText().optional(), name: storableText().optional(), ...actionFields })
  .superRefine(checkEntries);
export const triggerUpdate = z
  .object({ id: storableText().optional(), name: storableText().optional(), ...triggerFields })
  .superRefine(checkEntries);
export type ActionUpdate = z.infer<typeof actionUpdate>;
export type TriggerUpdate = z.infer<typeof triggerUpdate>;

/** A problem that would stop the version from being published, shown on the operation. */
export const operationError = childError;

/** A linked definition: its schema text is served at its `url`, and its referrers are in its own read. */
export const linkedDefinition = definition.omit({ schema: true, referencedBy: true, errors: true });
const bodyDefinition = z.object({ id: z.string(), definition: linkedDefinition });
const parameter = z.object({
  name: z.string(),
  in: z.string(),
  required: z.boolean(),
  type: z.string(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  completion: z.object({}).optional(),
});

const operationOutput = {
  id: z.string(),
  type: z.literal('http'),
  name: z.string(),
  summary: z.string(),
  description: z.string(),
  method: httpMethod,
  parameters: z.array(parameter),
  requestBody: z.object({ required: z.boolean(), definitions: z.array(bodyDefinition) }).optional(),
  responses: z.array(
    z.object({ id: z.string(), status: z.number().int().optional(), definitions: z.array(bodyDefinition) }),
  ),
  errors: z.array(operationError),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

/** An action as every response shows it: linked definitions are whole. */
export const action = z.object({ ...operationOutput, path: z.string() });
/** A trigger as every response shows it. */
export const trigger = z.object(operationOutput);
export type Action = z.infer<typeof action>;
export type Trigger = z.infer<typeof trigger>;

export const actionPage = pageInfo.extend({ actions: z.array(action) });
export const triggerPage = pageInfo.extend({ triggers: z.array(trigger) });
export type ActionPage = z.infer<typeof actionPage>;
export type TriggerPage = z.infer<typeof triggerPage>;

/** Inputs of the action and trigger procedures: the version (and name) the path would name. */
export const actionGetInput = connectorVersionGetInput.extend({ actionName: storableText(z.string().max(128)) });
export const triggerGetInput = connectorVersionGetInput.extend({ triggerName: storableText(z.string().max(128)) });
export const actionCreateInput = z.intersection(connectorVersionGetInput, actionCreate);
export const triggerCreateInput = z.intersection(connectorVersionGetInput, triggerCreate);
export const actionUpdateInput = z.intersection(actionGetInput, actionUpdate);
export const triggerUpdateInput = z.intersection(triggerGetInput, triggerUpdate);
export type ActionGetInput = z.infer<typeof actionGetInput>;
export type TriggerGetInput = z.infer<typeof triggerGetInput>;
export type ActionCreateInput = z.infer<typeof actionCreateInput>;
export type TriggerCreateInput = z.infer<typeof triggerCreateInput>;
export type ActionUpdateInput = z.infer<typeof actionUpdateInput>;
export type TriggerUpdateInput = z.infer<typeof triggerUpdateInput>;
