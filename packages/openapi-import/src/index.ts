export { importOpenApi } from './import.js';
export type { ImportMapping, ImportRefusal, ImportResult, Problem, Unmapped } from './result.js';
export { parseImportDocument, syntaxOf, type DocumentSyntax, type ParsedDocument, type ParseOptions } from './parse.js';
export { importOpenApiText, type TextImportOptions } from './text-import.js';
export type { SpecVersion } from './spec-validation.js';
