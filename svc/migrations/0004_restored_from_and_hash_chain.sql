-- History columns and a provable log, planned together:
--   restored_from  the version a revert restored (null otherwise);
--   prev_hash/hash one global SHA-256 chain over every event, computed by the database.
-- Appending an event takes a transaction-level advisory lock first, so events are chained
-- and committed one transaction at a time: `seq` order is commit order (the change feed
-- relies on it) and every event's prev_hash is the hash of the event before it in `seq`.

ALTER TABLE config_events
    ADD COLUMN restored_from integer,
    ADD COLUMN prev_hash text,
    ADD COLUMN hash text,
    ADD CONSTRAINT config_events_restored_from_check CHECK (
        restored_from IS NULL OR (action = 'updated' AND restored_from BETWEEN 1 AND version - 1)
    );

-- What is hashed: a JSON array of every column in this order, rendered by jsonb's text
-- output (deterministic, not RFC 8785), occurred_at as UTC text with microseconds:
--   [seq, id, occurred_at, entity_type, entity_id, application_id, action, version,
--    before, after, changed_fields, actor, request_id, restored_from, prev_hash]
-- hash = lowercase hex of sha256(that text as UTF-8).
CREATE FUNCTION config_events_hash(e config_events, prev_hash text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        e.seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.entity_type, e.entity_id, e.application_id, e.action, e.version,
        e.before, e.after, to_jsonb(e.changed_fields), e.actor, e.request_id, e.restored_from,
        prev_hash
    )::text, 'UTF8')), 'hex')
$$;

-- Existing events join the chain in seq order (the append-only guard is lifted for this
-- one transaction, by the owner).
ALTER TABLE config_events DISABLE TRIGGER config_events_append_only;
DO $$
DECLARE
    e config_events;
    previous text := NULL;
BEGIN
    FOR e IN SELECT * FROM config_events ORDER BY seq LOOP
        UPDATE config_events SET prev_hash = previous, hash = config_events_hash(e, previous)
         WHERE seq = e.seq
        RETURNING hash INTO previous;
    END LOOP;
END;
$$;
ALTER TABLE config_events ENABLE TRIGGER config_events_append_only;
ALTER TABLE config_events ALTER COLUMN hash SET NOT NULL;

-- Before any row of an INSERT is formed (so before seq and occurred_at are drawn), wait
-- for the transaction that appended last to end.
CREATE FUNCTION config_events_serialise() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7303911002);
    RETURN NULL;
END;
$$;

CREATE TRIGGER config_events_serialise
    BEFORE INSERT ON config_events
    FOR EACH STATEMENT EXECUTE FUNCTION config_events_serialise();

CREATE FUNCTION config_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        -- A snapshot older than the lock could miss the newest event and fork the chain.
        RAISE EXCEPTION 'config_events: append under READ COMMITTED, not %',
            current_setting('transaction_isolation')
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM config_events ORDER BY seq DESC LIMIT 1;
    IF NEW.seq <= last_seq THEN
        RAISE EXCEPTION 'config_events: seq % does not follow %', NEW.seq, last_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    NEW.occurred_at := clock_timestamp();  -- the database clock, whatever the writer sent
    NEW.prev_hash := last_hash;
    NEW.hash := config_events_hash(NEW, last_hash);
    RETURN NEW;
END;
$$;

-- Named to fire after config_events_gapless_version (row triggers fire in name order).
CREATE TRIGGER config_events_zz_chain
    BEFORE INSERT ON config_events
    FOR EACH ROW EXECUTE FUNCTION config_events_chain();

-- Checkpoints: `audit checkpoint` records each one it prints.
CREATE TABLE audit_checkpoints (
    id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    seq      bigint      NOT NULL,
    hash     text
);

-- Everything that is wrong with the log, first problem first; no rows when intact.
-- `checkpoint` is a string printed by `audit checkpoint`: "<seq>-<hash>" ("0-none" for an
-- empty log). Streams the events (bounded memory).
CREATE FUNCTION config_events_verify(checkpoint text DEFAULT NULL)
RETURNS TABLE (seq bigint, entity_type text, entity_id text, problem text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    e config_events;
    previous text := NULL;
    checkpoint_seq bigint;
    checkpoint_hash text;
    checkpoint_found boolean := false;
BEGIN
    IF checkpoint IS NOT NULL THEN
        IF checkpoint !~ '^[0-9]{1,18}-([0-9a-f]{64}|none)$' THEN
            RAISE EXCEPTION 'not a checkpoint: %', checkpoint USING ERRCODE = 'invalid_parameter_value';
        END IF;
        checkpoint_seq := split_part(checkpoint, '-', 1)::bigint;
        checkpoint_hash := split_part(checkpoint, '-', 2);
    END IF;
    FOR e IN SELECT * FROM config_events c ORDER BY c.seq LOOP
        seq := e.seq; entity_type := e.entity_type; entity_id := e.entity_id;
        IF e.prev_hash IS DISTINCT FROM previous THEN
            problem := 'prev_hash is not the hash of the event before it: an event was deleted, inserted or reordered before this one';
            RETURN NEXT;
        END IF;
        IF e.hash IS DISTINCT FROM config_events_hash(e, e.prev_hash) THEN
            problem := 'hash does not match the event''s content: the event was altered';
            RETURN NEXT;
        END IF;
        IF e.seq = checkpoint_seq THEN
            checkpoint_found := true;
            IF e.hash IS DISTINCT FROM checkpoint_hash THEN
                problem := 'hash differs from the checkpoint: the log up to here was rewritten';
                RETURN NEXT;
            END IF;
        END IF;
        previous := e.hash;
    END LOOP;
    IF checkpoint_seq > 0 AND NOT checkpoint_found THEN
        seq := checkpoint_seq; entity_type := NULL; entity_id := NULL;
        problem := 'the checkpoint''s event is missing: events it covered were deleted';
        RETURN NEXT;
    END IF;
    RETURN QUERY
        SELECT v.seq, v.entity_type, v.entity_id::text,
               format('version %s follows %s: versions must be 1, 2, 3, ... without gaps', v.version, coalesce(v.previous, 0))
          FROM (SELECT c.seq, c.entity_type, c.entity_id, c.version,
                       lag(c.version) OVER (PARTITION BY c.entity_type, c.entity_id ORDER BY c.seq) AS previous
                  FROM config_events c) v
         WHERE v.version <> coalesce(v.previous, 0) + 1
         ORDER BY v.seq;
    RETURN QUERY
        SELECT NULL::bigint, r.entity_type, r.id::text,
               CASE WHEN r.latest IS NULL THEN 'the row has no event'
                    ELSE 'the row differs from the after of its latest event: it was changed without an event' END
          FROM (SELECT 'application'::text AS entity_type, a.id,
                       jsonb_build_object('id', a.id, 'name', a.name, 'comments', a.comments) AS row,
                       (SELECT c.after FROM config_events c
                         WHERE c.entity_type = 'application' AND c.entity_id = a.id
                         ORDER BY c.version DESC LIMIT 1) AS latest
                  FROM applications a
                UNION ALL
                SELECT 'configuration', f.id,
                       jsonb_build_object('id', f.id, 'application_id', f.application_id, 'name', f.name,
                                          'comments', f.comments, 'config', f.config),
                       (SELECT c.after FROM config_events c
                         WHERE c.entity_type = 'configuration' AND c.entity_id = f.id
                         ORDER BY c.version DESC LIMIT 1)
                  FROM configurations f) r
         WHERE r.latest IS DISTINCT FROM r.row
         ORDER BY r.entity_type, r.id;
    RETURN QUERY
        SELECT min(c.seq), c.entity_type, c.entity_id::text, 'events of an entity whose row is missing: the row was deleted'
          FROM config_events c
         WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE c.entity_type = 'application' AND a.id = c.entity_id)
           AND NOT EXISTS (SELECT 1 FROM configurations f WHERE c.entity_type = 'configuration' AND f.id = c.entity_id)
         GROUP BY c.entity_type, c.entity_id
         ORDER BY min(c.seq);
END;
$$;
