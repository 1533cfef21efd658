import type { ImportDocument, UploadGrant } from '@connect/router';

// Uploaded documents in the UPLOADS bucket (R2), one object per upload URL, named by its id. The
// object's custom metadata says which organisation may import it; it is kept for an hour from its
// upload (past every URL's five minutes, so an expired URL can never be used again once its object
// is gone), then the scheduled handler deletes it.

/** How long an uploaded document can be imported from, in seconds. */
export const uploadRetentionSeconds = 3600;

const prefix = 'uploads/';
const keyOf = (id: string) => `${prefix}${id}`;

/** The outcome of a PUT: kept, refused because the URL was used already, or refused for its length. */
export type StoreOutcome = 'stored' | 'used' | 'wrong_length';

/** Whether an upload URL has been used (an object is stored under it): a cheap refusal before reading a body. */
export async function uploadExists(bucket: R2Bucket, id: string): Promise<boolean> {
  return (await bucket.head(keyOf(id))) !== null;
}

/**
 * Streams `body` into the bucket, exactly `grant.contentLength` bytes: a shorter or longer body
 * fails the write and nothing is kept. The write is conditional on no object existing under the
 * id (`If-None-Match: *`), checked by R2 when it commits, so of two PUTs at once one is kept.
 */
export async function storeUpload(
  bucket: R2Bucket,
  grant: UploadGrant,
  body: ReadableStream<Uint8Array>,
): Promise<StoreOutcome> {
  const exact = new FixedLengthStream(grant.contentLength);
  const piped = body.pipeTo(exact.writable);
  const put = bucket.put(keyOf(grant.id), exact.readable, {
    onlyIf: new Headers({ 'if-none-match': '*' }),
    httpMetadata: { contentType: grant.contentType },
    customMetadata: { organisationId: grant.organisationId },
  });
  const [pipedResult, putResult] = await Promise.allSettled([piped, put]);
  if (pipedResult.status === 'rejected' || putResult.status === 'rejected') return 'wrong_length';
  return putResult.value === null ? 'used' : 'stored';
}

/**
 * The uploaded document `id`, when it is there, is the organisation's and is within its retention;
 * else null (one answer for all three, so no other organisation learns an upload exists).
 */
export async function readUpload(bucket: R2Bucket, id: string, organisationId: string): Promise<ImportDocument | null> {
  const object = await bucket.get(keyOf(id));
  if (object === null) return null;
  const kept = object.customMetadata?.organisationId === organisationId;
  const fresh = Date.now() - object.uploaded.getTime() < uploadRetentionSeconds * 1000;
  if (!kept || !fresh) {
    await object.body.cancel();
    return null;
  }
  return { text: await object.text(), contentType: object.httpMetadata?.contentType ?? null };
}

/** Deletes uploads past their retention (the scheduled handler); at most `max` listed per run. */
export async function purgeUploads(bucket: R2Bucket, now = Date.now(), max = 1000): Promise<number> {
  let purged = 0;
  let cursor: string | undefined;
  let listed = 0;
  do {
    const page = await bucket.list({ prefix, limit: Math.min(1000, max - listed), ...(cursor ? { cursor } : {}) });
    listed += page.objects.length;
    const old = page.objects
      .filter((o) => now - o.uploaded.getTime() >= uploadRetentionSeconds * 1000)
      .map((o) => o.key);
    if (old.length > 0) await bucket.delete(old);
    purged += old.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor !== undefined && listed < max);
  return purged;
}
