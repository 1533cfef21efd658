DROP INDEX "definition_links_target_idx";--> statement-breakpoint
DROP INDEX "action_body_definitions_action_idx";--> statement-breakpoint
DROP INDEX "action_body_definitions_definition_idx";--> statement-breakpoint
DROP INDEX "trigger_body_definitions_trigger_idx";--> statement-breakpoint
DROP INDEX "trigger_body_definitions_definition_idx";--> statement-breakpoint
CREATE INDEX "definition_links_version_target_idx" ON "definition_links" USING btree ("version_id","target_id");--> statement-breakpoint
CREATE INDEX "action_body_definitions_action_idx" ON "action_body_definitions" USING btree ("version_id","action_id");--> statement-breakpoint
CREATE INDEX "action_body_definitions_definition_idx" ON "action_body_definitions" USING btree ("version_id","definition_id");--> statement-breakpoint
CREATE INDEX "trigger_body_definitions_trigger_idx" ON "trigger_body_definitions" USING btree ("version_id","trigger_id");--> statement-breakpoint
CREATE INDEX "trigger_body_definitions_definition_idx" ON "trigger_body_definitions" USING btree ("version_id","definition_id");