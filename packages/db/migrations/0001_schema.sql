CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	"last_used_at" timestamp (3) with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "api_keys_hash_is_sha256" CHECK ("api_keys"."key_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connector_versions" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"connector_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp (3) with time zone,
	CONSTRAINT "connector_versions_name_unique" UNIQUE("connector_id","name"),
	CONSTRAINT "connector_versions_connector_id_unique" UNIQUE("connector_id","id"),
	CONSTRAINT "connector_versions_name_format" CHECK ("connector_versions"."name" ~ '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$'),
	CONSTRAINT "connector_versions_name_not_reserved" CHECK (lower("connector_versions"."name") NOT IN ('latest', 'default')),
	CONSTRAINT "connector_versions_description_length" CHECK (char_length("connector_versions"."description") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"protocol" text DEFAULT 'http' NOT NULL,
	"base_url" text NOT NULL,
	"public" boolean DEFAULT false NOT NULL,
	"documentation_url" text,
	"image_url" text,
	"tags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"connection_variables" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"default_version_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connectors_protocol_known" CHECK ("connectors"."protocol" IN ('http'))
);
--> statement-breakpoint
CREATE TABLE "definition_links" (
	"version_id" text NOT NULL,
	"definition_id" text NOT NULL,
	"target_id" text NOT NULL,
	CONSTRAINT "definition_links_definition_id_target_id_pk" PRIMARY KEY("definition_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "definitions" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"accept" text[] DEFAULT '{}'::text[] NOT NULL,
	"schema_content_type" text NOT NULL,
	"schema_content" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "definitions_name_unique" UNIQUE("version_id","name"),
	CONSTRAINT "definitions_version_id_unique" UNIQUE("version_id","id"),
	CONSTRAINT "definitions_name_format" CHECK ("definitions"."name" ~ '^[a-zA-Z0-9_-]+$')
);
--> statement-breakpoint
CREATE TABLE "action_body_definitions" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"action_id" text NOT NULL,
	"response_id" text,
	"definition_id" text NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_responses" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"action_id" text NOT NULL,
	"status" integer,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "action_responses_status_unique" UNIQUE NULLS NOT DISTINCT("action_id","status"),
	CONSTRAINT "action_responses_version_id_unique" UNIQUE("version_id","id"),
	CONSTRAINT "action_responses_status_range" CHECK ("action_responses"."status" BETWEEN 100 AND 599)
);
--> statement-breakpoint
CREATE TABLE "actions" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"parameters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"request_body_required" boolean,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actions_name_unique" UNIQUE("version_id","name"),
	CONSTRAINT "actions_version_id_unique" UNIQUE("version_id","id"),
	CONSTRAINT "actions_name_format" CHECK ("actions"."name" ~ '^[a-zA-Z0-9_$-]+$'),
	CONSTRAINT "actions_method_known" CHECK ("actions"."method" IN ('GET','POST','PUT','PATCH','DELETE','HEAD','OPTIONS','CONNECT','TRACE'))
);
--> statement-breakpoint
CREATE TABLE "trigger_body_definitions" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"response_id" text,
	"definition_id" text NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trigger_responses" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"trigger_id" text NOT NULL,
	"status" integer,
	"position" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "trigger_responses_status_unique" UNIQUE NULLS NOT DISTINCT("trigger_id","status"),
	CONSTRAINT "trigger_responses_version_id_unique" UNIQUE("version_id","id"),
	CONSTRAINT "trigger_responses_status_range" CHECK ("trigger_responses"."status" BETWEEN 100 AND 599)
);
--> statement-breakpoint
CREATE TABLE "triggers" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"parameters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"request_body_required" boolean,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "triggers_name_unique" UNIQUE("version_id","name"),
	CONSTRAINT "triggers_version_id_unique" UNIQUE("version_id","id"),
	CONSTRAINT "triggers_name_format" CHECK ("triggers"."name" ~ '^[a-zA-Z0-9_$-]+$'),
	CONSTRAINT "triggers_method_known" CHECK ("triggers"."method" IN ('GET','POST','PUT','PATCH','DELETE','HEAD','OPTIONS','CONNECT','TRACE'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connector_versions" ADD CONSTRAINT "connector_versions_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_default_version_fk" FOREIGN KEY ("id","default_version_id") REFERENCES "public"."connector_versions"("connector_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "definition_links" ADD CONSTRAINT "definition_links_definition_fk" FOREIGN KEY ("version_id","definition_id") REFERENCES "public"."definitions"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "definition_links" ADD CONSTRAINT "definition_links_target_fk" FOREIGN KEY ("version_id","target_id") REFERENCES "public"."definitions"("version_id","id") ON DELETE no action ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "definitions" ADD CONSTRAINT "definitions_version_id_connector_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."connector_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_body_definitions" ADD CONSTRAINT "action_body_definitions_action_fk" FOREIGN KEY ("version_id","action_id") REFERENCES "public"."actions"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_body_definitions" ADD CONSTRAINT "action_body_definitions_response_fk" FOREIGN KEY ("version_id","response_id") REFERENCES "public"."action_responses"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_body_definitions" ADD CONSTRAINT "action_body_definitions_definition_fk" FOREIGN KEY ("version_id","definition_id") REFERENCES "public"."definitions"("version_id","id") ON DELETE no action ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "action_responses" ADD CONSTRAINT "action_responses_action_fk" FOREIGN KEY ("version_id","action_id") REFERENCES "public"."actions"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_version_id_connector_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."connector_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_body_definitions" ADD CONSTRAINT "trigger_body_definitions_trigger_fk" FOREIGN KEY ("version_id","trigger_id") REFERENCES "public"."triggers"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_body_definitions" ADD CONSTRAINT "trigger_body_definitions_response_fk" FOREIGN KEY ("version_id","response_id") REFERENCES "public"."trigger_responses"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trigger_body_definitions" ADD CONSTRAINT "trigger_body_definitions_definition_fk" FOREIGN KEY ("version_id","definition_id") REFERENCES "public"."definitions"("version_id","id") ON DELETE no action ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
ALTER TABLE "trigger_responses" ADD CONSTRAINT "trigger_responses_trigger_fk" FOREIGN KEY ("version_id","trigger_id") REFERENCES "public"."triggers"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "triggers" ADD CONSTRAINT "triggers_version_id_connector_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."connector_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_organisation_idx" ON "api_keys" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "connector_versions_updated_idx" ON "connector_versions" USING btree ("connector_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "connector_versions_published_idx" ON "connector_versions" USING btree ("connector_id","published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "connector_versions"."published_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "connectors_organisation_updated_idx" ON "connectors" USING btree ("organisation_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "definition_links_target_idx" ON "definition_links" USING btree ("target_id");--> statement-breakpoint
CREATE INDEX "action_body_definitions_action_idx" ON "action_body_definitions" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "action_body_definitions_definition_idx" ON "action_body_definitions" USING btree ("definition_id");--> statement-breakpoint
CREATE INDEX "trigger_body_definitions_trigger_idx" ON "trigger_body_definitions" USING btree ("trigger_id");--> statement-breakpoint
CREATE INDEX "trigger_body_definitions_definition_idx" ON "trigger_body_definitions" USING btree ("definition_id");