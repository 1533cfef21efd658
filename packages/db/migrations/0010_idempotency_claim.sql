-- idempotency_claim: the first statement of every request sent with an Idempotency-Key, in the same
-- transaction as the write it guards (see src/idempotency.ts). It decides, for (organisation, route,
-- key), whether this request runs:
--   * another request with this key still running (it holds the key's advisory lock): SQLSTATE
--     IK409, answered 409 idempotency_key_in_use;
--   * an unexpired answer stored for another request (another hash of the input): IK422, answered
--     422 idempotency_key_reused;
--   * an unexpired answer stored for this same request: IK200, and the caller reads that answer back
--     (a second round trip; replays are rare);
--   * otherwise the request runs, and its statements store their rows under the key before commit.
-- The lock's key is a 64-bit hash of the three: two keys colliding would only ever make one of two
-- concurrent requests wait for a retry (409), never share an answer (that is looked up by value).
-- The lock is transaction-scoped: it is let go at commit or rollback, so a request that failed (and
-- stored nothing) leaves the key free for a retry. Expired answers of the key are deleted, and a few
-- expired answers of the organisation with them, so the table stays the size of a day's keys.
CREATE FUNCTION idempotency_claim(p_organisation_id text, p_route text, p_key text, p_request_hash text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  stored_hash text;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_organisation_id || '/' || p_route || '/' || p_key, 0)) THEN
    RAISE EXCEPTION 'a request with this idempotency key is still running' USING ERRCODE = 'IK409';
  END IF;
  SELECT request_hash INTO stored_hash FROM idempotency_keys
  WHERE organisation_id = p_organisation_id AND route = p_route AND key = p_key AND part = 0 AND expires_at > now();
  IF FOUND THEN
    IF stored_hash <> p_request_hash THEN
      RAISE EXCEPTION 'this idempotency key was used for another request' USING ERRCODE = 'IK422';
    END IF;
    RAISE EXCEPTION 'this request was answered before: replay its answer' USING ERRCODE = 'IK200';
  END IF;
  DELETE FROM idempotency_keys WHERE organisation_id = p_organisation_id AND route = p_route AND key = p_key;
  DELETE FROM idempotency_keys WHERE (organisation_id, route, key, part) IN (
    SELECT organisation_id, route, key, part FROM idempotency_keys
    WHERE organisation_id = p_organisation_id AND expires_at <= now()
    LIMIT 20 FOR UPDATE SKIP LOCKED
  );
END;
$$;
