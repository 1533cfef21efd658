import { limitTable, maxSchemaBytes, type DefinitionCreate } from '@connect/contracts';
import type { Dialect } from './document.js';
import { isObject, pointer, storable, type Json } from './json.js';
import { toJsonSchema, type SchemaContext } from './json-schema.js';
import { NameAllocator } from './names.js';
import { UnmappedList } from './result.js';

interface Entry {
  at: string;
  name: string;
  description?: string;
  accept: Set<string>;
  content: string;
}

const schemaContentType = 'application/schema+json';
const maxAccept = limitTable.acceptPerDefinition.default;

/**
 * The version's definitions: one per component schema (named after it), then one per distinct
 * inline body schema (named after where it is first used). Bodies add the media types they are
 * sent with to a definition's `accept`.
 */
export class DefinitionRegistry {
  private readonly names = new NameAllocator(/[^a-zA-Z0-9_-]+/g, limitTable.childNameLength.default, 'definition');
  private readonly components = new Map<string, string>();
  private readonly entries = new Map<string, Entry>();
  private readonly inlineByContent = new Map<string, string>();
  private readonly context: SchemaContext;

  constructor(
    document: Json,
    dialect: Dialect,
    private readonly unmapped: UnmappedList,
  ) {
    const schemas =
      isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
    for (const component of Object.keys(schemas)) this.components.set(component, this.names.claim(component));
    this.context = { dialect, unmapped, definitionOf: (component) => this.components.get(component) };

    // A schema too long to store is left out, and links to it with it: found on a first pass whose
    // reports are thrown away, then written for good without those links.
    const trial: SchemaContext = { ...this.context, unmapped: new UnmappedList() };
    for (const [component, schema] of Object.entries(schemas)) {
      const content = JSON.stringify(toJsonSchema(schema, pointer('components', 'schemas', component), trial));
      if (content.length > maxSchemaBytes) {
        this.components.delete(component);
        unmapped.add(
          pointer('components', 'schemas', component),
          `its JSON Schema is ${content.length.toLocaleString('en-US')} characters, over the ${maxSchemaBytes.toLocaleString('en-US')} a definition may hold`,
        );
      }
    }
    for (const [component, schema] of Object.entries(schemas)) {
      const name = this.components.get(component);
      if (name === undefined) continue;
      const at = pointer('components', 'schemas', component);
      this.entries.set(name, this.entry(name, schema, at));
    }
  }

  private entry(name: string, schema: unknown, at: string): Entry {
    const entry: Entry = {
      at,
      name,
      accept: new Set(),
      content: JSON.stringify(toJsonSchema(schema, at, this.context)),
    };
    if (isObject(schema) && typeof schema.description === 'string') {
      const description = storable(schema.description, limitTable.descriptionLength.default);
      if (description.cut)
        this.unmapped.add(`${at}/description`, 'cut to the 2,000 characters a definition’s description may hold');
      entry.description = description.text;
    }
    return entry;
  }

  /** The definition of a component schema, now also accepting `mediaType`; undefined if it has none. */
  linkComponent(component: string, mediaType: string): string | undefined {
    const name = this.components.get(component);
    if (name !== undefined) this.entries.get(name)?.accept.add(mediaType);
    return name;
  }

  /**
   * The definition of an inline schema: an identical schema met before shares its definition,
   * otherwise a new one is named `wanted` (made unique). Undefined when it is too long to store.
   */
  addInline(wanted: string, schema: unknown, at: string, mediaType: string): string | undefined {
    const content = JSON.stringify(toJsonSchema(schema, at, this.context));
    const known = this.inlineByContent.get(content);
    if (known !== undefined) {
      this.entries.get(known)?.accept.add(mediaType);
      return known;
    }
    if (content.length > maxSchemaBytes) {
      this.unmapped.add(
        at,
        `its JSON Schema is over the ${maxSchemaBytes.toLocaleString('en-US')} characters a definition may hold`,
      );
      return undefined;
    }
    const entry = this.entry(this.names.claim(wanted), schema, at);
    entry.accept.add(mediaType);
    this.entries.set(entry.name, entry);
    this.inlineByContent.set(content, entry.name);
    return entry.name;
  }

  /** The CreateDefinitions entries, in the order they were named. */
  list(): { at: string; item: DefinitionCreate }[] {
    return [...this.entries.values()].map((entry) => {
      // A schema no body uses is still JSON: that is what a definition of it accepts.
      const accept = entry.accept.size === 0 ? ['application/json'] : [...entry.accept].sort();
      if (accept.length > maxAccept) {
        this.unmapped.add(
          '',
          `definition ${entry.name} is used with ${String(accept.length)} media types; it accepts the first ${String(maxAccept)}`,
        );
      }
      const item: DefinitionCreate = {
        name: entry.name,
        accept: accept.slice(0, maxAccept),
        ...(entry.description === undefined ? {} : { description: entry.description }),
        schema: { contentType: schemaContentType, content: entry.content },
      };
      return { at: entry.at, item };
    });
  }
}
