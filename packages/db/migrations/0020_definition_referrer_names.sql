-- Links between definitions move from one row per link (definition_links) to a list on the target:
-- the names of the definitions of its version whose schemas refer to it (see schema/definitions.ts).
ALTER TABLE "definitions" ADD COLUMN "referrer_names" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
UPDATE "definitions" "t" SET "referrer_names" = "r"."names"
FROM (
  SELECT "l"."target_id", array_agg(DISTINCT "s"."name" ORDER BY "s"."name") AS "names"
  FROM "definition_links" "l" JOIN "definitions" "s" ON "s"."id" = "l"."definition_id"
  GROUP BY "l"."target_id"
) "r"
WHERE "t"."id" = "r"."target_id";--> statement-breakpoint
DROP TABLE "definition_links" CASCADE;--> statement-breakpoint
-- Schemas are compressed with LZ4 where the server has it (PostgreSQL 14+ built with it, as Neon's
-- is): a copy rewrites and re-compresses every schema holding a URL, and pglz took about four times
-- as long on 26 MB of them. A server without LZ4 (the embedded one) keeps its default.
DO $$
BEGIN
  -- EXECUTE, so that a server whose grammar lacks SET COMPRESSION (before 14) fails here, caught.
  EXECUTE 'ALTER TABLE "definitions" ALTER COLUMN "schema_content" SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR syntax_error THEN
  NULL;
END
$$;
