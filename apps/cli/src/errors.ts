/** Exit codes: scripts tell "the API said no" (1) from "the command itself is wrong" (2). */
export const exitCodes = {
  ok: 0,
  /** The API refused the call or could not be reached. */
  api: 1,
  /** Bad arguments, an unreadable input file, or no configuration to run with. */
  usage: 2,
} as const;

/**
 * A mistake in how the CLI was called or configured: reported as is, exit code 2. Thrown instead
 * of printing and exiting on the spot, so every failure leaves through the same place in main.ts.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
