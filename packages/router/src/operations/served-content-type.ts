import { mediaTypeEssence } from '@connect/contracts';

/** Types whose documents browsers show as text or a tree, never as a page: what a schema can be. */
const jsonTypes = /^application\/(?:json|[!#$%&'*+.^_`|~0-9a-z-]+\+json)$/;
const yamlTypes = /^(?:application\/(?:yaml|x-yaml|[!#$%&'*+.^_`|~0-9a-z-]+\+yaml)|text\/(?:yaml|x-yaml))$/;
const xmlTypes = /^(?:application\/(?:xml|[!#$%&'*+.^_`|~0-9a-z-]+\+xml)|text\/xml)$/;
// XML that browsers render as a page (scripts and all), whatever its suffix says.
const xmlPages = new Set(['application/xhtml+xml']);

/** What a raw schema is served as when its stored type is anything else. */
export const plainText = 'text/plain; charset=utf-8';

/**
 * The `Content-Type` a raw schema is served with. Only the media types a schema can have (JSON and
 * `+json`, YAML and `+yaml`, XML and `+xml`, plain text) are served as stored; anything else —
 * `text/html`, `image/svg+xml`, or a value stored before media types were checked — is served as
 * plain text, so a schema is never a page on our origin. Parameters are dropped: the text is
 * always sent as UTF-8, which is said where the type has a charset (text and XML) and implied for
 * JSON and YAML, whose registrations define none.
 */
export function servedContentType(stored: string): string {
  const essence = mediaTypeEssence(stored);
  if (essence === null) return plainText;
  if (jsonTypes.test(essence) || yamlTypes.test(essence)) return essence;
  if (xmlTypes.test(essence) && !xmlPages.has(essence)) return `${essence}; charset=utf-8`;
  return plainText;
}
