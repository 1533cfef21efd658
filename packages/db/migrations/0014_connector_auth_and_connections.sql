CREATE TABLE "connection_credentials" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"organisation_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"usage" text NOT NULL,
	"position" integer NOT NULL,
	"auth_scheme_config" jsonb NOT NULL,
	"credential_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secret" text,
	"expires_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connection_credentials_credential_id_unique" UNIQUE("credential_id"),
	CONSTRAINT "connection_credentials_usage_known" CHECK ("connection_credentials"."usage" IN ('action', 'trigger')),
	CONSTRAINT "connection_credentials_secret_envelope" CHECK ("connection_credentials"."secret" IS NULL OR "connection_credentials"."secret" ~ '^v1\.[A-Za-z0-9_-]+\.')
);
--> statement-breakpoint
CREATE TABLE "connections" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"organisation_id" text NOT NULL,
	"connector_id" text NOT NULL,
	"name" text NOT NULL,
	"variables" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connections_name_unique" UNIQUE("connector_id","name")
);
--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "auth_scheme_configs" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "connection_credentials" ADD CONSTRAINT "connection_credentials_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_credentials" ADD CONSTRAINT "connection_credentials_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "connection_credentials_connection_idx" ON "connection_credentials" USING btree ("connection_id","usage","position");--> statement-breakpoint
CREATE INDEX "connection_credentials_key_idx" ON "connection_credentials" USING btree (split_part("secret", '.', 2));--> statement-breakpoint
CREATE INDEX "connections_connector_updated_idx" ON "connections" USING btree ("connector_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);