-- A PUT of an action or trigger replaces its responses in one statement: the old rows are deleted
-- and the new ones inserted together, in an order Postgres does not fix. "One response per status"
-- (and one default) is therefore checked at commit, when only the new responses remain. Requests
-- are validated for the same rule before they reach the database; this is the backstop.
ALTER TABLE "action_responses" DROP CONSTRAINT "action_responses_status_unique";
--> statement-breakpoint
ALTER TABLE "action_responses" ADD CONSTRAINT "action_responses_status_unique"
  UNIQUE NULLS NOT DISTINCT ("action_id", "status") DEFERRABLE INITIALLY DEFERRED;
--> statement-breakpoint
ALTER TABLE "trigger_responses" DROP CONSTRAINT "trigger_responses_status_unique";
--> statement-breakpoint
ALTER TABLE "trigger_responses" ADD CONSTRAINT "trigger_responses_status_unique"
  UNIQUE NULLS NOT DISTINCT ("trigger_id", "status") DEFERRABLE INITIALLY DEFERRED;
