CREATE TABLE "version_subscriptions" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"subscriber" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "version_subscriptions_subscriber_unique" UNIQUE("version_id","subscriber")
);
--> statement-breakpoint
ALTER TABLE "version_subscriptions" ADD CONSTRAINT "version_subscriptions_version_id_connector_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."connector_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "version_subscriptions_version_created_idx" ON "version_subscriptions" USING btree ("version_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);