ALTER TABLE "connector_versions" DROP CONSTRAINT "connector_versions_name_format";--> statement-breakpoint
ALTER TABLE "connector_versions" ADD CONSTRAINT "connector_versions_name_text" CHECK (char_length("connector_versions"."name") BETWEEN 1 AND 128 AND "connector_versions"."name" !~ '[\u0001-\u001f\u007f-\u009f]' AND "connector_versions"."name" !~ '^\s|\s$');--> statement-breakpoint
-- A version name as one URL path segment, as `versionPathSegment` in contracts writes it: what a
-- path segment may hold as it is stays (RFC 3986 unreserved and sub-delimiter characters, ':' and
-- '@'), every other character is percent-encoded as UTF-8. Names of the earlier format come out
-- unchanged, so schema URLs already written into schemas stay valid.
CREATE FUNCTION url_path_segment(name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  IF name ~ '^[A-Za-z0-9._~!$&''()*+,;=:@-]*$' THEN
    RETURN name;
  END IF;
  RETURN (
    SELECT string_agg(
      CASE WHEN ch ~ '^[A-Za-z0-9._~!$&''()*+,;=:@-]$' THEN ch
           ELSE upper(regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', '%\1', 'g')) END,
      '' ORDER BY n)
    FROM regexp_split_to_table(name, '') WITH ORDINALITY AS t(ch, n));
END
$$;
