import { LimitsConfigError, resolveLimits, type Limits } from '@connect/contracts';

/**
 * The deployment's limits: the table's defaults with the `LIMITS` var (JSON, see docs/limits.md)
 * over them. Parsed once per isolate for each value seen (a deployment has one; tests pass others
 * in their bindings), so a request pays a map lookup.
 */
const resolved = new Map<string, Limits | LimitsConfigError>();

/**
 * The limits for `env`, or the reason the var is unusable. An unusable `LIMITS` is a deployment
 * fault: every request is answered 500 and the problem logged (the Worker cannot stop itself from
 * being deployed, and guessing limits would put wrong quotas in force silently).
 */
export function deploymentLimits(
  /** Absent when the app is called without bindings (`app.request` in Node checks): the defaults. */
  env: { LIMITS?: string } | undefined,
): Limits | LimitsConfigError {
  const raw = env?.LIMITS ?? '';
  let limits = resolved.get(raw);
  if (limits === undefined) {
    try {
      limits = resolveLimits(raw);
    } catch (error) {
      if (!(error instanceof LimitsConfigError)) throw error;
      limits = error;
    }
    // A handful of distinct values at most (one per deployment, a few in tests): no eviction.
    resolved.set(raw, limits);
  }
  return limits;
}
