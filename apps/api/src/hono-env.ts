import type { Limits } from '@connect/contracts';
import type { OperationContext } from '@connect/router';

/** Bindings and per-request variables of the Hono app. */
export interface AppEnv {
  Bindings: Env;
  Variables: { operation: OperationContext; limits: Limits };
}
