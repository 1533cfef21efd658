const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new ULID (48-bit millisecond time, 80 random bits), made where an id must be known before the
 * row is written: a credential's id is sealed into its ciphertext.
 */
export function newUlid(now = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = (crockford[t % 32] ?? '0') + time;
  let random = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) random += crockford[byte % 32] ?? '0';
  return time + random;
}
