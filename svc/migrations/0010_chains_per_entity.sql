-- Appends without a global lock. Until now every append took one advisory lock, held to
-- the end of its commit, so that `seq` order was commit order (the change feed) and one
-- hash chain ran through all events: one write at a time, the WAL flush included.
-- From here on:
--   * each entity has its own hash chain: an event's prev_hash is the hash of the same
--     entity's previous version (NULL for version 1). The row lock and the unique
--     (entity_type, entity_id, version) key already put one entity's appends in order;
--   * `txid` records the appending transaction (pg_current_xact_id()). The change feed
--     reads in (txid, seq) order and only below the oldest transaction still running, a
--     part of the log that can no longer change. An entity's versions must then come in
--     txid order: an append whose previous version was made by a later transaction is
--     refused with serialization_failure (the service retries it);
--   * events appended before this migration keep their txid 0, their hashes and their
--     single chain in seq order (earlier checkpoints still verify); the first event of an
--     entity after it links to that entity's latest earlier event.

ALTER TABLE config_events ADD COLUMN txid bigint NOT NULL DEFAULT 0;  -- no table rewrite
CREATE INDEX config_events_feed_idx ON config_events (txid, seq);

DROP TRIGGER config_events_serialise ON config_events;
DROP FUNCTION config_events_serialise();

-- The hash of an event chained per entity: lowercase hex SHA-256 of the UTF-8 text of
--   [seq, id, occurred_at, entity_type, entity_id, application_id, action, version,
--    before, after, changed_fields, actor, request_id, restored_from, prev_hash, txid]
-- rendered by jsonb's text output, occurred_at as UTC text with microseconds (the
-- formula of 0004 with txid added at the end).
CREATE FUNCTION config_events_entity_hash(e config_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        e.seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.entity_type, e.entity_id, e.application_id, e.action, e.version,
        e.before, e.after, to_jsonb(e.changed_fields), e.actor, e.request_id, e.restored_from,
        e.prev_hash, e.txid
    )::text, 'UTF8')), 'hex')
$$;

CREATE OR REPLACE FUNCTION config_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    previous_txid bigint;
BEGIN
    NEW.txid := pg_current_xact_id()::text::bigint;
    NEW.prev_hash := NULL;
    -- Version 1 starts a chain (the unique key refuses a second one); a later version must
    -- follow one that exists.
    IF NEW.version > 1 THEN
        SELECT hash, txid INTO NEW.prev_hash, previous_txid
          FROM config_events
         WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id AND version = NEW.version - 1;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'config_events: version % of % % does not follow %',
                NEW.version, NEW.entity_type, NEW.entity_id,
                (SELECT coalesce(max(version), 0) FROM config_events
                  WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id)
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF previous_txid > NEW.txid THEN
            RAISE EXCEPTION 'config_events: version % of % % was appended by a later transaction; retry',
                NEW.version - 1, NEW.entity_type, NEW.entity_id
                USING ERRCODE = 'serialization_failure';
        END IF;
    END IF;
    -- The database clock, whatever the writer sent; read once the previous version is
    -- found committed, so an entity's occurred_at never decreases along its versions.
    NEW.occurred_at := clock_timestamp();
    NEW.hash := config_events_entity_hash(NEW);
    -- The change feed's wake-up, delivered at commit (dropped with a rollback).
    PERFORM pg_notify('config_events', json_build_object(
        'txid', NEW.txid, 'seq', NEW.seq, 'application_id', NEW.application_id,
        'entity_type', NEW.entity_type, 'entity_id', NEW.entity_id, 'actor', NEW.actor)::text);
    RETURN NEW;
END;
$$;

-- What a checkpoint commits to: the hash of every chain's newest event with seq <= up_to,
-- as lowercase hex SHA-256 of those hashes joined by ',' in (entity_type, entity_id)
-- order (bytewise). Every event is a chain's newest or is linked to by a later one, so
-- any change to the events up to `up_to` changes this digest.
CREATE FUNCTION config_events_heads_digest(up_to bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(coalesce(string_agg(head.hash, ',' ORDER BY head.entity_type COLLATE "C", head.entity_id COLLATE "C"), ''), 'UTF8')), 'hex')
      FROM (SELECT DISTINCT ON (entity_type, entity_id) entity_type, entity_id, hash
              FROM config_events
             WHERE seq <= up_to
             ORDER BY entity_type, entity_id, version DESC) AS head
$$;

-- Records and returns "<seq>.<digest>": seq is the newest event committed when it was
-- called; it waits for the transactions running then to end, so that no event with a
-- lower seq can still appear.
CREATE FUNCTION config_events_checkpoint() RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    up_to bigint;
    running pg_snapshot;
    digest text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' OR pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'take a checkpoint in a READ COMMITTED transaction of its own'
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    SELECT coalesce(max(seq), 0), pg_current_snapshot() INTO up_to, running FROM config_events;
    WHILE pg_snapshot_xmin(pg_current_snapshot()) < pg_snapshot_xmax(running) LOOP
        PERFORM pg_sleep(0.001);
    END LOOP;
    digest := config_events_heads_digest(up_to);
    INSERT INTO audit_checkpoints (seq, hash) VALUES (up_to, digest);
    RETURN up_to || '.' || digest;
END;
$$;

-- Everything that is wrong with the log, first problem first; no rows when intact.
-- `checkpoint`: a string printed by `audit checkpoint`, "<seq>.<digest>" (or, before
-- 0010, "<seq>-<hash of that event>", "0-none" for an empty log).
CREATE OR REPLACE FUNCTION config_events_verify(checkpoint text DEFAULT NULL)
RETURNS TABLE (seq bigint, entity_type text, entity_id text, problem text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    checkpoint_seq bigint;
    checkpoint_hash text;
    found_hash text;
BEGIN
    IF checkpoint IS NOT NULL THEN
        IF checkpoint !~ '^[0-9]{1,18}(\.[0-9a-f]{64}|-([0-9a-f]{64}|none))$' THEN
            RAISE EXCEPTION 'not a checkpoint: %', checkpoint USING ERRCODE = 'invalid_parameter_value';
        END IF;
        checkpoint_seq := substring(checkpoint FROM '^[0-9]+')::bigint;
        checkpoint_hash := substring(checkpoint FROM '[.-](.*)$');
    END IF;
    -- Each event's hash, and its link: for events before 0010 (txid 0) to the one before
    -- it in seq order, for later ones to the previous version of the same entity.
    RETURN QUERY
        SELECT v.seq, v.entity_type, v.entity_id::text, p.problem
          FROM (SELECT c.seq, c.entity_type, c.entity_id, c.prev_hash, c.altered,
                       CASE WHEN c.txid = 0 THEN lag(c.hash) OVER (PARTITION BY c.txid = 0 ORDER BY c.seq)
                            ELSE lag(c.hash) OVER (PARTITION BY c.entity_type, c.entity_id ORDER BY c.version)
                       END AS linked
                  FROM (SELECT c.seq, c.entity_type, c.entity_id, c.version, c.txid, c.prev_hash, c.hash,
                               c.hash IS DISTINCT FROM CASE WHEN c.txid = 0 THEN config_events_hash(c, c.prev_hash)
                                                            ELSE config_events_entity_hash(c) END AS altered
                          FROM config_events c
                        OFFSET 0) AS c  -- hashed here, so the window sorts carry no whole rows
               ) AS v
         CROSS JOIN LATERAL (VALUES
               (1, CASE WHEN v.prev_hash IS DISTINCT FROM v.linked THEN 'prev_hash is not the hash of the event before it in its chain: an event was deleted, inserted or reordered before this one' END),
               (2, CASE WHEN v.altered THEN 'hash does not match the event''s content: the event was altered' END)
         ) AS p(kind, problem)
         WHERE p.problem IS NOT NULL
         ORDER BY v.seq, p.kind;
    IF position('.' IN checkpoint) > 0 THEN
        IF config_events_heads_digest(checkpoint_seq) <> checkpoint_hash THEN
            seq := checkpoint_seq; entity_type := NULL; entity_id := NULL;
            problem := 'the log up to the checkpoint differs from it: an event it covered was edited, deleted, inserted or reordered';
            RETURN NEXT;
        END IF;
    ELSIF checkpoint_seq > 0 THEN
        SELECT c.hash INTO found_hash FROM config_events c WHERE c.seq = checkpoint_seq;
        seq := checkpoint_seq; entity_type := NULL; entity_id := NULL;
        IF NOT FOUND THEN
            problem := 'the checkpoint''s event is missing: events it covered were deleted';
            RETURN NEXT;
        ELSIF found_hash IS DISTINCT FROM checkpoint_hash THEN
            problem := 'hash differs from the checkpoint: the log up to here was rewritten';
            RETURN NEXT;
        END IF;
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
