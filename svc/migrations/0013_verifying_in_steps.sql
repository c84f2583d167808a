-- Verifying in steps (GET /api/v1/audit/verify, the web page's integrity check): the
-- checks of config_events_verify() as parts a client can run one range of seq at a time,
-- showing progress on a large log.
--   * config_events_settled_seq(): the newest seq once every transaction running when it
--     was called has ended, so that no event at or below it can still appear (seq order is
--     not commit order); the horizon of a stepwise check, and of a checkpoint, whose wait
--     (0010) missed the newest running transactions;
--   * config_events_verify_range(after_seq, up_to_seq): each event's hash, its link to the event
--     before it in its chain, and its version step, for the events with after_seq < seq <=
--     up_to_seq (after_seq NULL: from the first), by index lookups (a range costs what it
--     holds, wherever it lies);
--   * config_events_verify_checkpoint(checkpoint) and config_events_verify_rows(): the
--     checkpoint, and the rows against their latest events; the parts of
--     config_events_verify() that concern the whole log, now its own calls of them (its
--     results are unchanged, in the same order).
-- The service's role may read audit_checkpoints, to show the latest one.

CREATE FUNCTION config_events_settled_seq() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    up_to bigint;
    running xid[];
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' OR pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'wait for the log to settle (a checkpoint, a check in steps) in a READ COMMITTED transaction of its own'
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    SELECT coalesce(max(seq), 0) INTO up_to FROM config_events;
    -- A transaction that may still commit an event below up_to took that event's seq
    -- before the event at up_to took its own, after its row write had given it an xid: it
    -- holds its xid's lock now. Wait until every such lock is gone. (0010 waited for the
    -- xids below a snapshot's xmax, which is the newest completed xid + 1: the newest
    -- running transactions were not among them.)
    SELECT array_agg(l.transactionid) INTO running
      FROM pg_locks l
     WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid();
    WHILE running IS NOT NULL AND EXISTS (
            SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
               AND l.transactionid = ANY (running)) LOOP
        PERFORM pg_sleep(0.001);
    END LOOP;
    RETURN up_to;
END;
$$;

CREATE OR REPLACE FUNCTION config_events_checkpoint() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    up_to bigint;
    digest text;
BEGIN
    up_to := config_events_settled_seq();
    digest := config_events_heads_digest(up_to);  -- a snapshot taken once the log has settled
    INSERT INTO audit_checkpoints (seq, hash) VALUES (up_to, digest);
    RETURN up_to || '.' || digest;
END;
$$;

CREATE FUNCTION config_events_verify_range(after_seq bigint, up_to_seq bigint)
RETURNS TABLE (seq bigint, entity_type text, entity_id text, problem text)
LANGUAGE sql STABLE AS $$
    SELECT c.seq, c.entity_type, c.entity_id::text, p.problem
      FROM config_events c
     CROSS JOIN LATERAL (SELECT
               CASE WHEN c.txid = 0 THEN (SELECT b.hash FROM config_events b
                                           WHERE b.txid = 0 AND b.seq < c.seq ORDER BY b.seq DESC LIMIT 1)
                    ELSE (SELECT b.hash FROM config_events b
                           WHERE b.entity_type = c.entity_type AND b.entity_id = c.entity_id AND b.version < c.version
                           ORDER BY b.version DESC LIMIT 1)
               END AS linked,
               -- versions 1, 2, 3, ... in seq order: each has its predecessor, committed before it
               c.version = 1 OR EXISTS (SELECT 1 FROM config_events b
                                         WHERE b.entity_type = c.entity_type AND b.entity_id = c.entity_id
                                           AND b.version = c.version - 1 AND b.seq < c.seq) AS steps) AS l
     CROSS JOIN LATERAL (VALUES
           (1, CASE WHEN c.prev_hash IS DISTINCT FROM l.linked THEN 'prev_hash is not the hash of the event before it in its chain: an event was deleted, inserted or reordered before this one' END),
           (2, CASE WHEN c.hash IS DISTINCT FROM CASE WHEN c.txid = 0 THEN config_events_hash(c, c.prev_hash)
                                                      ELSE config_events_entity_hash(c) END
                    THEN 'hash does not match the event''s content: the event was altered' END),
           (3, CASE WHEN NOT l.steps THEN format('version %s does not follow version %s of the same entity: versions must be 1, 2, 3, ... without gaps', c.version, c.version - 1) END)
     ) AS p(kind, problem)
     WHERE (after_seq IS NULL OR c.seq > after_seq) AND c.seq <= up_to_seq AND p.problem IS NOT NULL
     ORDER BY c.seq, p.kind
$$;

CREATE FUNCTION config_events_verify_checkpoint(checkpoint text)
RETURNS TABLE (seq bigint, entity_type text, entity_id text, problem text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
    checkpoint_seq bigint;
    checkpoint_hash text;
    found_hash text;
BEGIN
    IF checkpoint IS NULL THEN
        RETURN;
    END IF;
    IF checkpoint !~ '^[0-9]{1,18}(\.[0-9a-f]{64}|-([0-9a-f]{64}|none))$' THEN
        RAISE EXCEPTION 'not a checkpoint: %', checkpoint USING ERRCODE = 'invalid_parameter_value';
    END IF;
    checkpoint_seq := substring(checkpoint FROM '^[0-9]+')::bigint;
    checkpoint_hash := substring(checkpoint FROM '[.-](.*)$');
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
END;
$$;

CREATE FUNCTION config_events_verify_rows()
RETURNS TABLE (seq bigint, entity_type text, entity_id text, problem text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
        SELECT NULL::bigint, r.entity_type, r.id::text,
               CASE WHEN r.latest IS NULL THEN 'the row has no event'
                    ELSE 'the row differs from its latest event (its after, or its deletion): it was changed without an event' END
          FROM (SELECT 'application'::text AS entity_type, a.id,
                       entity_state(jsonb_build_object('id', a.id, 'name', a.name, 'comments', a.comments),
                                    a.deleted) AS row,
                       (SELECT event_state(c.after, c.before) FROM config_events c
                         WHERE c.entity_type = 'application' AND c.entity_id = a.id
                         ORDER BY c.version DESC LIMIT 1) AS latest
                  FROM applications a
                UNION ALL
                SELECT 'configuration', f.id,
                       entity_state(jsonb_build_object('id', f.id, 'application_id', f.application_id,
                                                       'name', f.name, 'comments', f.comments, 'config', f.config),
                                    f.deleted),
                       (SELECT event_state(c.after, c.before) FROM config_events c
                         WHERE c.entity_type = 'configuration' AND c.entity_id = f.id
                         ORDER BY c.version DESC LIMIT 1)
                  FROM configurations f
                UNION ALL
                SELECT 'token', t.id,
                       token_snapshot(t.id, t.name, t.role, t.application_ids, t.acts_for_others,
                                      t.created_at, t.created_by, t.expires_at, t.revoked_at),
                       (SELECT c.after FROM config_events c
                         WHERE c.entity_type = 'token' AND c.entity_id = t.id
                         ORDER BY c.version DESC LIMIT 1)
                  FROM tokens t) r
         WHERE r.latest IS DISTINCT FROM r.row
         ORDER BY r.entity_type, r.id;
    RETURN QUERY
        SELECT min(c.seq), c.entity_type, c.entity_id::text, 'events of an entity whose row is missing: the row was deleted'
          FROM config_events c
         WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE c.entity_type = 'application' AND a.id = c.entity_id)
           AND NOT EXISTS (SELECT 1 FROM configurations f WHERE c.entity_type = 'configuration' AND f.id = c.entity_id)
           AND NOT EXISTS (SELECT 1 FROM tokens t WHERE c.entity_type = 'token' AND t.id = c.entity_id)
         GROUP BY c.entity_type, c.entity_id
         ORDER BY min(c.seq);
END;
$$;

-- The whole log at once, as before: its chain and version checks by window functions (one
-- pass over the log), the rest by the parts above.
CREATE OR REPLACE FUNCTION config_events_verify(checkpoint text DEFAULT NULL)
RETURNS TABLE (seq bigint, entity_type text, entity_id text, problem text)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
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
    RETURN QUERY SELECT * FROM config_events_verify_checkpoint(checkpoint);
    RETURN QUERY
        SELECT v.seq, v.entity_type, v.entity_id::text,
               format('version %s follows %s: versions must be 1, 2, 3, ... without gaps', v.version, coalesce(v.previous, 0))
          FROM (SELECT c.seq, c.entity_type, c.entity_id, c.version,
                       lag(c.version) OVER (PARTITION BY c.entity_type, c.entity_id ORDER BY c.seq) AS previous
                  FROM config_events c) v
         WHERE v.version <> coalesce(v.previous, 0) + 1
         ORDER BY v.seq;
    RETURN QUERY SELECT * FROM config_events_verify_rows();
END;
$$;

GRANT SELECT ON audit_checkpoints TO config_service_app;
