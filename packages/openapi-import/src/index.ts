export { importOpenApi } from './import.js';
export type { ImportMapping, ImportRefusal, ImportResult, Problem, Unmapped } from './result.js';
