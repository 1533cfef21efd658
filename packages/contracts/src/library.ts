import type { z } from 'zod';
import { connectorVersionGetInput } from './connector-version.js';

/**
 * ImportPublicConnectorVersion: a published version (a name, `latest` or `default`) of a public
 * connector of any organisation, copied into the caller's.
 */
export const libraryImportInput = connectorVersionGetInput;
export type LibraryImportInput = z.infer<typeof libraryImportInput>;
