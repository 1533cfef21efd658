import { z } from 'zod';

/**
 * An entity tag as the API issues it: the MD5 (hex) of the resource's JSON as the database builds
 * it. REST sends it quoted in `ETag`; tRPC's `getTagged` procedures answer it bare, as `etag`.
 */
export const entityTag = z.string().regex(/^[0-9a-f]{32}$/, 'must be an entity tag as a read answered it');

/**
 * The tRPC counterpart of REST's `If-Match`: a change applies only while the resource still has
 * this tag; otherwise 412 `failed_precondition` and nothing changes.
 */
export const ifMatchInput = z.object({ ifMatch: entityTag.optional() });

/** The same for a copy: `fromVersion` must still have this tag. */
export const fromVersionIfMatchInput = z.object({ fromVersionIfMatch: entityTag.optional() });

/** A resource with its entity tag (tRPC's `getTagged` procedures). */
export const tagged = <T extends z.ZodType>(body: T) => z.object({ body, etag: entityTag });
