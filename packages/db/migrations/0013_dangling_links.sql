CREATE TABLE "dangling_links" (
	"id" text PRIMARY KEY DEFAULT gen_ulid() NOT NULL,
	"version_id" text NOT NULL,
	"action_id" text,
	"trigger_id" text,
	"definition_id" text,
	"field" text NOT NULL,
	"target_name" text NOT NULL,
	CONSTRAINT "dangling_links_one_referrer" CHECK (num_nonnulls("dangling_links"."action_id", "dangling_links"."trigger_id", "dangling_links"."definition_id") = 1)
);
--> statement-breakpoint
ALTER TABLE "dangling_links" ADD CONSTRAINT "dangling_links_version_id_connector_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."connector_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dangling_links" ADD CONSTRAINT "dangling_links_action_fk" FOREIGN KEY ("version_id","action_id") REFERENCES "public"."actions"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dangling_links" ADD CONSTRAINT "dangling_links_trigger_fk" FOREIGN KEY ("version_id","trigger_id") REFERENCES "public"."triggers"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dangling_links" ADD CONSTRAINT "dangling_links_definition_fk" FOREIGN KEY ("version_id","definition_id") REFERENCES "public"."definitions"("version_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dangling_links_version_idx" ON "dangling_links" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "dangling_links_action_idx" ON "dangling_links" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "dangling_links_trigger_idx" ON "dangling_links" USING btree ("trigger_id");--> statement-breakpoint
CREATE INDEX "dangling_links_definition_idx" ON "dangling_links" USING btree ("definition_id");