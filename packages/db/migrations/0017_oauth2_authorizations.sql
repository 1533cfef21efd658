CREATE TABLE "oauth2_authorizations" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"organisation_id" text NOT NULL,
	"connector_id" text NOT NULL,
	"connection_id" text NOT NULL,
	"client_credential_id" text NOT NULL,
	"client_id" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"scopes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"verifier" text,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"consumed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oauth2_authorizations" ADD CONSTRAINT "oauth2_authorizations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth2_authorizations" ADD CONSTRAINT "oauth2_authorizations_connector_id_connectors_id_fk" FOREIGN KEY ("connector_id") REFERENCES "public"."connectors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oauth2_authorizations" ADD CONSTRAINT "oauth2_authorizations_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oauth2_authorizations_expires_idx" ON "oauth2_authorizations" USING btree ("expires_at");