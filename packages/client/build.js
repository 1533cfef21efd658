// The client as a package: dist/index.js (ES module, bundled by esbuild; tRPC stays a dependency)
// and dist/index.d.ts (one file of declarations, bundled by rollup-plugin-dts: rollup.dts.config.js).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external: ['@trpc/client', '@trpc/server'],
  logLevel: 'warning',
});
