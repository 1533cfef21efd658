import { type CredentialKeyring, signWithKeyring, verifyWithKeyring } from '@connect/db';

// An upload URL (GetProtocolUploadURL) is this API's own address, `<rest base>/uploads/<id>`, with a
// query that says what may be uploaded there and a MAC over it, under a key HKDF derives from
// CREDENTIALS_KEY (as the OAuth 2.0 state is). The grant binds the organisation, media type, exact
// length and expiry, so the PUT needs no database; single use is the object store's conditional
// write. The same address without the query is the `url` an import names as `schemaURL`.

/** What an upload URL allows: one PUT of exactly this document, by this organisation's imports. */
export interface UploadGrant {
  /** The object's name: 32 hex digits, random. */
  id: string;
  organisationId: string;
  contentType: string;
  contentLength: number;
  /** Unix time, in seconds, after which the PUT is refused. */
  expires: number;
}

/** An upload URL is good for five minutes (the reference's promise). */
export const uploadUrlLifetimeSeconds = 300;

/** Where uploads live under the REST base. */
export const uploadsPath = '/uploads';

const idPattern = /^[0-9a-f]{32}$/;

/** The signed text: a prefix of its own, so no other signature of the keyring can stand for it. */
const signed = (grant: UploadGrant) =>
  `upload-url:v1:${JSON.stringify([grant.id, grant.organisationId, grant.contentType, grant.contentLength, grant.expires])}`;

/** A new object name: 128 random bits. */
export function newUploadId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** The address of an upload under `restBase`, without any query: what an import names. */
export const uploadObjectUrl = (restBase: string, id: string) => `${restBase}${uploadsPath}/${id}`;

/** The signed upload URL of a grant, and the object's own address. */
export async function signedUploadUrl(
  keyring: CredentialKeyring,
  restBase: string,
  grant: UploadGrant,
): Promise<{ uploadUrl: string; url: string }> {
  const url = uploadObjectUrl(restBase, grant.id);
  const query = new URLSearchParams({
    organisation_id: grant.organisationId,
    content_type: grant.contentType,
    content_length: String(grant.contentLength),
    expires: String(grant.expires),
    signature: await signWithKeyring(keyring, signed(grant)),
  });
  return { uploadUrl: `${url}?${query.toString()}`, url };
}

/**
 * The grant an upload URL's id and query carry, when its signature holds under a key of the ring;
 * else null. Expiry is the caller's to check (it says so apart from a forged URL).
 */
export async function grantOfUploadUrl(
  keyring: CredentialKeyring,
  id: string,
  query: Record<string, string | undefined>,
): Promise<UploadGrant | null> {
  const { organisation_id, content_type, content_length, expires, signature } = query;
  if (!idPattern.test(id) || !organisation_id || !content_type || !signature) return null;
  if (!/^[1-9][0-9]{0,15}$/.test(content_length ?? '') || !/^[1-9][0-9]{0,11}$/.test(expires ?? '')) return null;
  const grant: UploadGrant = {
    id,
    organisationId: organisation_id,
    contentType: content_type,
    contentLength: Number(content_length),
    expires: Number(expires),
  };
  return (await verifyWithKeyring(keyring, signed(grant), signature)) ? grant : null;
}

/**
 * The upload a URL names, when it is one of this API's upload addresses (`restBase` + `/uploads/`):
 * its id, or null when the rest is no upload id (no query or fragment either). Undefined when the
 * URL is somewhere else.
 */
export function uploadIdOfUrl(restBase: string, url: string): string | null | undefined {
  const prefix = `${restBase}${uploadsPath}/`;
  if (!url.startsWith(prefix)) return undefined;
  const id = url.slice(prefix.length);
  return idPattern.test(id) ? id : null;
}
