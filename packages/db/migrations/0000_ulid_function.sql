-- ULIDs generated inside the database, so that a copy of many rows gets fresh ids in one statement.
-- 48 bits of milliseconds, then 80 random bits taken from two v4 UUIDs (their first bytes are random).
-- Plain SQL functions only: runs on PostgreSQL 15-18 and PGlite.
CREATE OR REPLACE FUNCTION gen_ulid() RETURNS text
LANGUAGE plpgsql VOLATILE PARALLEL SAFE AS $$
DECLARE
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  ms bigint := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
  a bytea := uuid_send(gen_random_uuid());
  b bytea := uuid_send(gen_random_uuid());
  hi bigint;
  lo bigint;
  result text := '';
BEGIN
  hi := (get_byte(a, 0)::bigint << 32) | (get_byte(a, 1)::bigint << 24) | (get_byte(a, 2)::bigint << 16)
        | (get_byte(a, 3)::bigint << 8) | get_byte(a, 4)::bigint;
  lo := (get_byte(a, 5)::bigint << 32) | (get_byte(b, 0)::bigint << 24) | (get_byte(b, 1)::bigint << 16)
        | (get_byte(b, 2)::bigint << 8) | get_byte(b, 3)::bigint;
  FOR i IN REVERSE 9..0 LOOP
    result := result || substr(alphabet, ((ms >> (5 * i)) & 31)::int + 1, 1);
  END LOOP;
  FOR i IN REVERSE 7..0 LOOP
    result := result || substr(alphabet, ((hi >> (5 * i)) & 31)::int + 1, 1);
  END LOOP;
  FOR i IN REVERSE 7..0 LOOP
    result := result || substr(alphabet, ((lo >> (5 * i)) & 31)::int + 1, 1);
  END LOOP;
  RETURN result;
END
$$;
