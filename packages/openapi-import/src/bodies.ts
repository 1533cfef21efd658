import { limitTable, mediaType } from '@connect/contracts';
import type { DefinitionRegistry } from './definitions.js';
import { isObject, pointer, type Json } from './json.js';
import { componentOf } from './json-schema.js';
import type { UnmappedList } from './result.js';

export interface BodyLink {
  definition: { name: string };
}

/**
 * The definitions a request body or response links, one per media type's schema: a `$ref` to a
 * component schema links its definition, an inline schema becomes one named `wanted`.
 */
export function linkBody(
  body: Json,
  at: string,
  wanted: string,
  registry: DefinitionRegistry,
  unmapped: UnmappedList,
): BodyLink[] {
  if (body.content === undefined) return [];
  if (!isObject(body.content)) {
    unmapped.add(`${at}/content`, 'is not an object of media types');
    return [];
  }
  const names: string[] = [];
  for (const [type, media] of Object.entries(body.content)) {
    const here = `${at}/content${pointer(type)}`;
    const parsed = mediaType.safeParse(type);
    if (!parsed.success) {
      unmapped.add(here, 'is not a media type a definition can accept');
      continue;
    }
    if (!isObject(media) || media.schema === undefined) {
      unmapped.add(here, 'has no schema: there is no definition to link');
      continue;
    }
    const component = componentOf(media.schema);
    const name =
      component === undefined
        ? registry.addInline(wanted, media.schema, `${here}/schema`, parsed.data)
        : registry.linkComponent(component, parsed.data);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  const max = limitTable.linksPerBody.default;
  if (names.length > max)
    unmapped.add(`${at}/content`, `links ${String(names.length)} definitions; the first ${String(max)} are kept`);
  return names.slice(0, max).map((name) => ({ definition: { name } }));
}
