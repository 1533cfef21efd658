-- A copy of a version rewrites the definition URLs in its schemas (…/o/{organisation}/schemas/
-- {connector}/{version}/{id}.{ext}) to name the copy and the copied definitions. replace_each
-- (0005) did it with one replace() over the whole text per link: a 256 KiB schema holding 1,700
-- such URLs was scanned 1,700 times, and a version of 100 of them took 17-20 s to copy.
--
-- This does it in one pass: the text is split once at `old_base` (the URLs' common part up to the
-- version, '/o/{organisation}/schemas/{connector}/{version}/'), and each piece after a split
-- starts with what follows the version. When its first 26 characters are a key of `ids` (a source
-- definition's id, mapped to its copy's) and the next character cannot continue an id, that id is
-- replaced and the split point becomes `new_base`; anything else is put back as it was. So only
-- URLs of the source's own definitions change, each once, however often or close together they
-- appear. `ids` should be an in-memory value (an aggregate's result): a stored, toasted jsonb
-- would be detoasted at every lookup.
CREATE FUNCTION rewrite_definition_urls(content text, old_base text, new_base text, ids jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  parts text[] := string_to_array(content, old_base);
  piece text;
  id text;
BEGIN
  -- parts[1] is the text before the first split; each later part followed an `old_base`.
  -- (Assigning array elements in place is constant time; this measured a fifth faster than
  -- unnest … string_agg(… ORDER BY) over the same parts.)
  FOR i IN 2 .. coalesce(array_length(parts, 1), 0) LOOP
    piece := parts[i];
    id := ids ->> left(piece, 26);
    -- ULID characters are letters and digits: one more would make it a longer, other id.
    IF id IS NOT NULL AND substr(piece, 27, 1) !~ '[0-9A-Za-z]' THEN
      parts[i] := new_base || id || substr(piece, 27);
    ELSE
      parts[i] := old_base || piece;
    END IF;
  END LOOP;
  -- An empty text splits into no parts at all.
  RETURN coalesce(array_to_string(parts, ''), content);
END
$$;
