import { z } from 'zod';
import { limitTable } from './limits.js';
import { connectorVersionGetInput } from './connector-version.js';
import { mediaType } from './media-type.js';
import { storableText, ulid } from './names.js';
import { pageInfo } from './page.js';

/** A definition's name: unique within its version, usable in `#/$defs/{name}` references. */
export const definitionNamePattern = /^[a-zA-Z0-9_-]+$/;
export const definitionName = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(limitTable.childNameLength.default, `must be at most ${String(limitTable.childNameLength.default)} characters`)
  .regex(definitionNamePattern, 'must use only letters, digits, _ and -');

/** Schemas are stored as sent; 262,144 characters leave room for large generated JSON Schemas. */
export const maxSchemaBytes = limitTable.schemaLength.default;

/** The schema text of a definition, inline (JSON Schema, XML Schema, …). */
export const inlineSchema = z.object({
  contentType: mediaType,
  content: storableText(
    z
      .string({ error: 'must be a string' })
      .max(maxSchemaBytes, `must be at most ${maxSchemaBytes.toLocaleString('en-US')} characters`),
  ),
});
export type InlineSchema = z.infer<typeof inlineSchema>;

const accept = z
  .array(mediaType)
  .min(1, 'must name at least one media type')
  .max(
    limitTable.acceptPerDefinition.default,
    `must name at most ${String(limitTable.acceptPerDefinition.default)} media types`,
  )
  .refine((types) => new Set(types).size === types.length, 'must not repeat a media type');

const description = storableText(
  z
    .string()
    .max(
      limitTable.descriptionLength.default,
      `must be at most ${String(limitTable.descriptionLength.default)} characters`,
    ),
);

/** One definition of CreateDefinitions. Its schema may `$ref` others as `#/$defs/{name}`. */
export const definitionCreate = z.object({
  name: definitionName,
  accept,
  description: description.optional(),
  schema: inlineSchema,
});
export type DefinitionCreate = z.infer<typeof definitionCreate>;

/** Body of CreateDefinitions: definitions that may reference each other, cycles included. */
export const definitionsCreate = z.object({
  definitions: z
    .array(definitionCreate)
    .min(1, 'must hold at least one definition')
    .max(
      limitTable.definitionsPerRequest.default,
      `must hold at most ${String(limitTable.definitionsPerRequest.default)} definitions`,
    )
    .superRefine((definitions, ctx) => {
      const seen = new Set<string>();
      definitions.forEach((definition, index) => {
        if (seen.has(definition.name)) {
          ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'is already used earlier in this request' });
        }
        seen.add(definition.name);
      });
    }),
});
export type DefinitionsCreate = z.infer<typeof definitionsCreate>;

/** Where a definition is used: another definition's `$ref`, or an action's or trigger's body. */
export const definitionReference = z.object({
  type: z.enum(['definition', 'action', 'trigger']),
  id: z.string(),
  name: z.string(),
});
export type DefinitionReference = z.infer<typeof definitionReference>;

/**
 * A problem that would stop the version from being published, shown on the child it is in (the
 * reference's `ActionError`; definitions carry the same list).
 */
export const childError = z.object({
  field: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});

/** A definition as every response shows it; `schema` is included so one read gives everything. */
export const definition = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  accept: z.array(z.string()),
  schema: z.object({ contentType: z.string(), content: z.string() }),
  /** Where the raw schema is served (GetRawSchema). */
  url: z.string(),
  referencedBy: z.array(definitionReference),
  /** Links its schema has to definitions deleted with `force` (not in the reference's Definition). */
  errors: z.array(childError),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Definition = z.infer<typeof definition>;

export const definitions = z.object({ definitions: z.array(definition) });
export type Definitions = z.infer<typeof definitions>;

export const definitionPage = pageInfo.extend({ definitions: z.array(definition) });
export type DefinitionPage = z.infer<typeof definitionPage>;

/**
 * Body of UpdateDefinition: the definition as GET returns it. `accept`, `description` and (when
 * sent) `schema` change; `id` and `name` are read-only — sent back as they are, or a 400. The other
 * fields a read returns (`url`, `referencedBy`, timestamps) are the server's and are ignored.
 */
export const definitionUpdate = z.object({
  id: storableText().optional(),
  name: storableText().optional(),
  accept,
  description: description.optional(),
  schema: inlineSchema.optional(),
});
export type DefinitionUpdate = z.infer<typeof definitionUpdate>;

/**
 * Body of DeleteDefinitions: `ids` and/or `names`, or `all: true` alone. One definition named both
 * by id and by name is refused, as the reference asks.
 */
export const definitionsDelete = z
  .object({
    ids: z.array(ulid).max(500, 'must hold at most 500 ids').optional(),
    names: z.array(definitionName).max(500, 'must hold at most 500 names').optional(),
    all: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const listed = body.ids !== undefined || body.names !== undefined;
    if (body.all === true && listed) {
      ctx.addIssue({ code: 'custom', path: ['all'], message: 'cannot be combined with ids or names' });
    } else if (body.all !== true && !listed) {
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give ids, names, or all: true' });
    } else if (body.all !== true && (body.ids?.length ?? 0) + (body.names?.length ?? 0) === 0) {
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'name at least one definition' });
    }
  });
export type DefinitionsDelete = z.infer<typeof definitionsDelete>;

/** A definition a delete would leave dangling, with what still refers to it (the 412's body). */
export const definitionInUse = z.object({
  id: z.string(),
  name: z.string(),
  referencedBy: z.array(definitionReference),
});
export type DefinitionInUse = z.infer<typeof definitionInUse>;

/** Inputs of the definition procedures: the version (and definition) the path would name. */
export const definitionGetInput = connectorVersionGetInput.extend({
  definitionName: storableText(z.string().max(128)),
});
export const definitionsCreateInput = definitionsCreate.extend(connectorVersionGetInput.shape);
export const definitionUpdateInput = definitionUpdate.extend(definitionGetInput.shape);
/** `force`: delete definitions even while something refers to them (the links left become `errors`). */
export const forceInput = z.object({ force: z.boolean().optional() });
export const definitionsDeleteInput = z.intersection(
  connectorVersionGetInput.extend(forceInput.shape),
  definitionsDelete,
);
export const definitionDeleteInput = definitionGetInput.extend(forceInput.shape);
export type DefinitionGetInput = z.infer<typeof definitionGetInput>;
export type DefinitionDeleteInput = z.infer<typeof definitionDeleteInput>;
export type DefinitionsCreateInput = z.infer<typeof definitionsCreateInput>;
export type DefinitionUpdateInput = z.infer<typeof definitionUpdateInput>;
export type DefinitionsDeleteInput = z.infer<typeof definitionsDeleteInput>;
