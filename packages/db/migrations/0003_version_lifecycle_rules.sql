-- Rules of the version lifecycle that no interleaving of requests may break, held by the database:
-- the explicit default of a connector is a published version, and stays one (a version cannot be
-- unpublished while it is the default). latest is derived on read, so it needs no rule here.
-- Each check reads with a fresh snapshot (PL/pgSQL in READ COMMITTED), and the statements that
-- change either side lock the connector row first, so two racing requests are checked in turn.
CREATE OR REPLACE FUNCTION connectors_default_is_published() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.default_version_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM connector_versions WHERE id = NEW.default_version_id AND published_at IS NOT NULL FOR SHARE
  ) THEN
    RAISE EXCEPTION 'the default version of a connector must be published'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'connectors_default_is_published';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER connectors_default_is_published
  BEFORE INSERT OR UPDATE OF default_version_id ON connectors
  FOR EACH ROW EXECUTE FUNCTION connectors_default_is_published();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION connector_versions_default_stays_published() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.published_at IS NULL AND EXISTS (
    SELECT 1 FROM connectors WHERE id = NEW.connector_id AND default_version_id = NEW.id FOR SHARE
  ) THEN
    RAISE EXCEPTION 'the default version of a connector cannot be unpublished'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'connector_versions_default_stays_published';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER connector_versions_default_stays_published
  BEFORE UPDATE OF published_at ON connector_versions
  FOR EACH ROW WHEN (OLD.published_at IS NOT NULL AND NEW.published_at IS NULL)
  EXECUTE FUNCTION connector_versions_default_stays_published();
