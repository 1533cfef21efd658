-- One stored answer per keyed request instead of one row per statement: `answer` becomes the array
-- of every statement's rows, written by the request's last statement alone (src/idempotency.ts),
-- so a keyed write inserts one row, not one per statement. Expired answers are purged by the
-- scheduled handler instead of by every claim, so the B-tree on (organisation_id, expires_at) that
-- the claim's purge needed goes: a BRIN index on expires_at serves the purge.
-- Answers stored before this migration are folded into the new shape, so their retries still replay.
UPDATE "idempotency_keys" k SET "answer" = folded.answer
FROM (
  SELECT "organisation_id", "route", "key", json_agg("answer" ORDER BY "part") AS answer
  FROM "idempotency_keys" GROUP BY "organisation_id", "route", "key"
) folded
WHERE k."part" = 0 AND k."organisation_id" = folded."organisation_id" AND k."route" = folded."route" AND k."key" = folded."key";--> statement-breakpoint
DELETE FROM "idempotency_keys" WHERE "part" <> 0;--> statement-breakpoint
DROP INDEX "idempotency_keys_organisation_expires_idx";--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_organisation_id_route_key_part_pk";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_organisation_id_route_key_pk" PRIMARY KEY("organisation_id","route","key");--> statement-breakpoint
CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" USING brin ("expires_at");--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP COLUMN "part";--> statement-breakpoint
-- idempotency_claim (migration 0010) as before, less the purge: an advisory try-lock (IK409 while
-- another request holds the key), the stored answer's hash (IK422 for another input, IK200 for a
-- replay), and the key's own expired answer deleted so that this request can store its own.
CREATE OR REPLACE FUNCTION idempotency_claim(p_organisation_id text, p_route text, p_key text, p_request_hash text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  stored_hash text;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_organisation_id || '/' || p_route || '/' || p_key, 0)) THEN
    RAISE EXCEPTION 'a request with this idempotency key is still running' USING ERRCODE = 'IK409';
  END IF;
  SELECT request_hash INTO stored_hash FROM idempotency_keys
  WHERE organisation_id = p_organisation_id AND route = p_route AND key = p_key;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- Expired (the scheduled purge has not reached it yet): gone, and the request runs afresh.
  DELETE FROM idempotency_keys
  WHERE organisation_id = p_organisation_id AND route = p_route AND key = p_key AND expires_at <= now();
  IF FOUND THEN
    RETURN;
  END IF;
  IF stored_hash <> p_request_hash THEN
    RAISE EXCEPTION 'this idempotency key was used for another request' USING ERRCODE = 'IK422';
  END IF;
  RAISE EXCEPTION 'this request was answered before: replay its answer' USING ERRCODE = 'IK200';
END;
$$;
