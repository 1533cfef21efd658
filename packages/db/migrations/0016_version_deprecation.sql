ALTER TABLE "connector_versions" ADD COLUMN "deprecated_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "connector_versions" ADD COLUMN "sunset_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "connector_versions" ADD COLUMN "deprecation_message" text;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "compatibility_policy" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "connector_versions" ADD CONSTRAINT "connector_versions_deprecation_published" CHECK ("connector_versions"."deprecated_at" IS NULL OR "connector_versions"."published_at" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "connector_versions" ADD CONSTRAINT "connector_versions_deprecation_complete" CHECK ("connector_versions"."deprecated_at" IS NOT NULL OR ("connector_versions"."sunset_at" IS NULL AND "connector_versions"."deprecation_message" IS NULL));--> statement-breakpoint
ALTER TABLE "connector_versions" ADD CONSTRAINT "connector_versions_sunset_after_deprecation" CHECK ("connector_versions"."sunset_at" IS NULL OR "connector_versions"."sunset_at" >= "connector_versions"."deprecated_at");--> statement-breakpoint
ALTER TABLE "connector_versions" ADD CONSTRAINT "connector_versions_deprecation_message_length" CHECK ("connector_versions"."deprecation_message" IS NULL OR char_length("connector_versions"."deprecation_message") <= 2000);--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_compatibility_policy_known" CHECK ("connectors"."compatibility_policy" IN ('none', 'backward'));