// Types of build.js (plain JavaScript, so bin/connect.js can load it without a TypeScript loader).
export const outfile: string;
export const sources: string[];
/** Whether dist/connect.js is missing or older than a source file. */
export function stale(): boolean;
/** Bundles src/main.ts into dist/connect.js. */
export function buildCli(): Promise<void>;
