-- versions_quota_recheck: the last statement of every batch that adds a version to a connector
-- (CreateConnectorVersion and its copies, ImportHTTPConnectorVersion, a public library import; see
-- src/queries/quotas.ts). The statement that inserted the version (and copied its children) counted
-- the connector's versions without a lock, in its own snapshot, so racing requests miss each
-- other's uncommitted versions there. This function takes the connector's row lock only now, at the
-- end of the transaction, so the inserts and copies of one connector run side by side and only this
-- short tail takes turns; then it counts again in a query of its own. A VOLATILE function's queries
-- each take a fresh snapshot under READ COMMITTED, so the count sees every version committed by the
-- request that held the lock before (and this request's own). Over the quota, the version is deleted
-- again (its children with it, by cascade), and the caller answers quota_exceeded: nothing of it
-- stays, and the rest of the transaction (the answer stored under an Idempotency-Key) still commits.
-- p_version_id: the version the batch inserted ('' or NULL when it inserted none: nothing to do).
-- Returns true when the version was over the quota and withdrawn.
CREATE FUNCTION versions_quota_recheck(p_version_id text, p_quota bigint)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_connector_id text;
  v_versions bigint;
BEGIN
  IF p_version_id IS NULL OR p_version_id = '' THEN
    RETURN false;
  END IF;
  SELECT connector_id INTO v_connector_id FROM connector_versions WHERE id = p_version_id;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  -- NO KEY UPDATE: rechecks of one connector take turns with each other (and with the lifecycle
  -- changes that lock it FOR UPDATE), while foreign-key checks of other writes (key share) pass.
  PERFORM 1 FROM connectors WHERE id = v_connector_id FOR NO KEY UPDATE;
  SELECT count(*) INTO v_versions FROM connector_versions WHERE connector_id = v_connector_id;
  IF v_versions <= p_quota THEN
    RETURN false;
  END IF;
  DELETE FROM connector_versions WHERE id = p_version_id;
  RETURN true;
END;
$$;
