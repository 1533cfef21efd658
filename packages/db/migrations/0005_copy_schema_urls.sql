-- A schema may refer to another definition of its version by that definition's URL
-- (…/schemas/{connector}/{version}/{id}.{ext}). A copy of the version gets new ids and its own
-- name, so CreateConnectorVersion rewrites those URLs in the copied schemas with this function:
-- each `old[i]` (a URL's `/{version}/{id}` part) becomes `new[i]`. Ids are ULIDs, unique, so a
-- plain text replacement cannot touch anything else.
CREATE FUNCTION replace_each(content text, old text[], new text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(old, 1), 0) LOOP
    content := replace(content, old[i], new[i]);
  END LOOP;
  RETURN content;
END
$$;
