export { exportOpenApi, exportedOpenApiVersion } from './export.js';
export type { ExportedVersion, JsonObject, Unexported } from './input.js';
export { openApiPath } from './operations.js';
