/** Who is calling, as established from the bearer token. */
export type Caller =
  /** An external consumer with an API key of the organisation. */
  | { kind: 'api_key'; organisationId: string; keyId: string }
  /** An internal user with an id_token from the identity provider. */
  | { kind: 'user'; organisationId: string; subject: string };
