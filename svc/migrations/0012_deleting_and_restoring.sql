-- Deleting and restoring (API.md §12). Nothing is erased: a row is marked deleted, and
-- its `deleted` event (before = the last state, after NULL) is appended in the same
-- statement; a restore marks it live again with a `restored` event (before NULL, after =
-- the state it comes back with), as a new version.
--   * names are unique among live entities only (partial unique indexes keeping the
--     constraints' names, so the service's messages stay the same);
--   * the deferred audit check of 0003 learns the new actions: a row cannot become
--     deleted, or come back, without its event, whoever writes the SQL;
--   * never a live configuration in a deleted application: a configuration that is
--     created or restored locks its application's row (FOR SHARE) and refuses a deleted
--     one, and an application's deletion is checked at commit for live configurations;
--   * plain DELETE and TRUNCATE stay refused (0005).

ALTER TABLE applications ADD COLUMN deleted boolean NOT NULL DEFAULT false;
ALTER TABLE configurations ADD COLUMN deleted boolean NOT NULL DEFAULT false;

ALTER TABLE applications DROP CONSTRAINT applications_name_key;
CREATE UNIQUE INDEX applications_name_key ON applications (name) WHERE NOT deleted;
ALTER TABLE configurations DROP CONSTRAINT configurations_application_id_name_key;
CREATE UNIQUE INDEX configurations_application_id_name_key ON configurations (application_id, name) WHERE NOT deleted;

ALTER TABLE config_events
    ALTER COLUMN after DROP NOT NULL,
    DROP CONSTRAINT config_events_action_check,
    DROP CONSTRAINT config_events_created_shape,
    ADD CONSTRAINT config_events_action_check CHECK (
        CASE WHEN entity_type = 'token' THEN action IN ('created', 'revoked')
             ELSE action IN ('created', 'updated', 'deleted', 'restored') END
    ),
    ADD CONSTRAINT config_events_created_shape CHECK (
        (action = 'created') = (version = 1)
        AND (action IN ('created', 'restored')) = (before IS NULL)
        AND (action = 'deleted') = (after IS NULL)
    );

-- What an entity's latest event says its row holds: the `after`, or for a deletion the
-- last state, marked deleted; and the same of a row.
CREATE FUNCTION event_state(after jsonb, before jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(after, jsonb_build_object('deleted', before))
$$;

CREATE FUNCTION entity_state(snapshot jsonb, deleted boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN deleted THEN jsonb_build_object('deleted', snapshot) ELSE snapshot END
$$;

CREATE OR REPLACE FUNCTION entity_change_is_audited() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entity text;
    snapshot jsonb;
    gone boolean := false;
BEGIN
    IF TG_TABLE_NAME = 'applications' THEN
        entity := 'application';
        snapshot := jsonb_build_object('id', NEW.id, 'name', NEW.name, 'comments', NEW.comments);
        gone := NEW.deleted;
    ELSIF TG_TABLE_NAME = 'configurations' THEN
        entity := 'configuration';
        snapshot := jsonb_build_object('id', NEW.id, 'application_id', NEW.application_id,
                                       'name', NEW.name, 'comments', NEW.comments, 'config', NEW.config);
        gone := NEW.deleted;
    ELSE
        entity := 'token';
        snapshot := token_snapshot(NEW.id, NEW.name, NEW.role, NEW.application_ids, NEW.acts_for_others,
                                   NEW.created_at, NEW.created_by, NEW.expires_at, NEW.revoked_at);
    END IF;
    -- A deleted row's event is its `deleted` one, holding the last state as `before`
    -- (written out rather than through event_state(): this runs at every write's commit).
    IF gone THEN
        PERFORM 1 FROM config_events
         WHERE entity_type = entity AND entity_id = NEW.id AND version = NEW.version
           AND action = 'deleted' AND before = snapshot;
    ELSE
        PERFORM 1 FROM config_events
         WHERE entity_type = entity AND entity_id = NEW.id AND version = NEW.version AND after = snapshot;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'config_events has no event for % % version % matching the row',
            entity, NEW.id, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;

-- A configuration becoming live (created or restored) needs a live
-- application; the row lock makes a concurrent deletion of the application wait for
-- this transaction, or this one wait for it and then see it deleted.
CREATE FUNCTION configurations_need_a_live_application() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM applications WHERE id = NEW.application_id AND NOT deleted FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'configurations: application % is deleted', NEW.application_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'configurations_application_live';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER configurations_created_in_a_live_application
    BEFORE INSERT ON configurations
    FOR EACH ROW WHEN (NOT NEW.deleted) EXECUTE FUNCTION configurations_need_a_live_application();

-- A live configuration's own updates need no check: its application cannot be deleted
-- while it is live (below).
CREATE TRIGGER configurations_restored_in_a_live_application
    BEFORE UPDATE ON configurations
    FOR EACH ROW WHEN (OLD.deleted AND NOT NEW.deleted) EXECUTE FUNCTION configurations_need_a_live_application();

-- An application deleted with live configurations, checked when the transaction commits
-- (each statement of a deferred trigger sees what has committed by then).
CREATE FUNCTION applications_deleted_without_live_configurations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM configurations WHERE application_id = NEW.id AND NOT deleted) THEN
        RAISE EXCEPTION 'applications: % was deleted while it has live configurations', NEW.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'applications_live_configurations';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER applications_deleted_without_live_configurations
    AFTER UPDATE ON applications
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.deleted AND NOT OLD.deleted)
    EXECUTE FUNCTION applications_deleted_without_live_configurations();

-- Verification (0011) compares a deleted row with its `deleted` event.
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
