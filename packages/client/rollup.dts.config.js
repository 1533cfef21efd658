// The client's declarations as one file (dist/index.d.ts): its own, with the router's and the
// contracts' types it names inlined, so an installed client needs no workspace package. Only its
// dependencies stay imports: tRPC and zod. The server's own libraries (drizzle, the Neon driver) are
// external too, so that a declaration reaching one would show as an import the installed client
// cannot resolve (the packed client's test would fail) rather than be copied in.
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

export default {
  input: 'dist/types/index.d.ts',
  output: { file: 'dist/index.d.ts', format: 'es' },
  external: (id) => /^(@trpc\/|zod($|\/)|drizzle-orm|@neondatabase\/)/.test(id),
  plugins: [
    {
      // A workspace package without emitted declarations resolves to its TypeScript source, which
      // would be copied in as code: refuse, so the order of the builds (turbo's ^build) is kept.
      name: 'declarations-only',
      load(id) {
        if (/\.[cm]?ts$/.test(id) && !/\.d\.[cm]?ts$/.test(id)) {
          this.error(`${id} is source, not declarations: build the workspace packages first`);
        }
        return null;
      },
    },
    dts({
      respectExternal: true,
      // Workspace packages resolved to their emitted declarations (`types`), as outside the workspace.
      compilerOptions: {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        customConditions: [],
      },
    }),
  ],
};
