import { defineConfig } from 'drizzle-kit';

// `pnpm --filter @connect/db migrate` applies the committed migrations to DATABASE_URL (e.g. Neon).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost:5432/postgres' },
});
