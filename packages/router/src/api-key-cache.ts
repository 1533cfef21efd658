import type { VerifiedKey } from '@connect/db';

interface Entry {
  key: VerifiedKey;
  verifiedAt: number;
  /** When this isolate last recorded the key's use (lastUsedAt is written at most once a minute). */
  touchedAt: number;
}

const maxEntries = 10_000;
const touchEveryMs = 60_000;
/**
 * How long an isolate remembers that a key does not exist (or is revoked or expired). Keys are
 * random secrets that nobody can use before their creation hands them out, so an unknown key
 * only becomes valid by being created — which clears it here when created through this isolate.
 */
const unknownTtlMs = 60_000;

/**
 * Keys verified recently by this isolate, by SHA-256: a warm API-key request costs no database
 * round trip. An entry lives `ttlMs` (API_KEY_CACHE_SECONDS), which bounds how long a revoked key
 * keeps working on isolates that saw it; revocations made through this isolate apply at once.
 * Keys found unknown are remembered too, briefly (a negative cache), so a request repeating a
 * garbage key costs no database work; creating a key through this isolate forgets its hash there,
 * so a newly created key works at once.
 */
export class ApiKeyCache {
  readonly #entries = new Map<string, Entry>();
  /** Keys revoked through this isolate: a lookup that was in flight must not bring one back. */
  readonly #revoked = new Set<string>();
  /** Hashes of keys found unknown, with when: insertion order is age order, for eviction. */
  readonly #unknown = new Map<string, number>();
  /** Counts keys created through this isolate: a lookup that was in flight must not mark one unknown. */
  #created = 0;

  get(hash: string, ttlMs: number, now = Date.now()): VerifiedKey | null {
    const entry = this.#entries.get(hash);
    if (!entry) return null;
    const expired = entry.key.expiresAt !== null && entry.key.expiresAt <= now;
    if (now - entry.verifiedAt >= ttlMs || expired) {
      this.#entries.delete(hash);
      return null;
    }
    return entry.key;
  }

  set(hash: string, key: VerifiedKey, now = Date.now()): void {
    if (this.#revoked.has(key.id)) return;
    if (this.#entries.size >= maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(hash, { key, verifiedAt: now, touchedAt: 0 });
  }

  /** Whether this isolate revoked the key (its lookup may have started before the revocation). */
  isRevoked(keyId: string): boolean {
    return this.#revoked.has(keyId);
  }

  /** Whether lastUsedAt is due a write for this key; marks it written when so. */
  shouldTouch(hash: string, now = Date.now()): boolean {
    const entry = this.#entries.get(hash);
    if (!entry || now - entry.touchedAt < touchEveryMs) return false;
    entry.touchedAt = now;
    return true;
  }

  /** Whether the key was found unknown less than a minute ago. */
  isUnknown(hash: string, now = Date.now()): boolean {
    const at = this.#unknown.get(hash);
    if (at === undefined) return false;
    if (now - at < unknownTtlMs) return true;
    this.#unknown.delete(hash);
    return false;
  }

  /** Taken before a lookup and given back to `rememberUnknown` with its result. */
  lookupStarted(): number {
    return this.#created;
  }

  /** Remembers a key the database does not know, unless a key was created since its lookup began. */
  rememberUnknown(hash: string, lookupStarted: number, now = Date.now()): void {
    if (lookupStarted !== this.#created) return;
    this.#unknown.delete(hash);
    if (this.#unknown.size >= maxEntries) {
      const oldest = this.#unknown.keys().next();
      if (!oldest.done) this.#unknown.delete(oldest.value);
    }
    this.#unknown.set(hash, now);
  }

  /** A key was just created through this isolate: it must work at once, even if it was looked up before. */
  keyCreated(hash: string): void {
    this.#created++;
    this.#unknown.delete(hash);
  }

  forgetKeyId(keyId: string): void {
    if (this.#revoked.size >= maxEntries) this.#revoked.clear();
    this.#revoked.add(keyId);
    for (const [hash, entry] of this.#entries) if (entry.key.id === keyId) this.#entries.delete(hash);
  }
}

/** One cache per isolate: module state lives as long as the isolate does. */
export const apiKeyCache = new ApiKeyCache();
