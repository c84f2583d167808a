-- Identity and access: API tokens, and the token that authenticated each write.
--   * tokens: one row per token, holding a SHA-256 of its text, never the text. A token
--     is created and revoked (or rotated) with an event each (entity_type 'token'),
--     enforced like every other audited write by a deferred check; only revoked_at,
--     last_used_at and version ever change, and last_used_at alone is no event.
--   * config_events.token_id: the token of the request that wrote the event (NULL for
--     plain SQL). An event's hash covers token_id when it is set; events without one
--     keep the formula of 0010, so every event written before this migration verifies.
--   * the auditor may read every token column but the hash.

CREATE TABLE tokens (
    id              varchar(26)   PRIMARY KEY CHECK (length(id) = 26),
    name            varchar(256)  NOT NULL CHECK (length(name) >= 1),
    role            text          NOT NULL CHECK (role IN ('reader', 'writer', 'auditor', 'admin')),
    application_ids varchar(26)[] CHECK (application_ids IS NULL OR cardinality(application_ids) >= 1),
    acts_for_others boolean       NOT NULL DEFAULT false,
    created_at      timestamptz   NOT NULL DEFAULT clock_timestamp(),
    created_by      varchar(26)   REFERENCES tokens (id),
    expires_at      timestamptz   NOT NULL,
    revoked_at      timestamptz,
    last_used_at    timestamptz,
    secret_hash     text          NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    version         integer       NOT NULL DEFAULT 1 CHECK (version >= 1),
    CONSTRAINT tokens_lifetime CHECK (expires_at > created_at AND expires_at <= created_at + interval '366 days'),
    CONSTRAINT tokens_scope_roles CHECK (application_ids IS NULL OR role IN ('reader', 'writer'))
);

-- An instant as the API and the events write it: UTC, microseconds, `Z`.
CREATE FUNCTION utc_text(t timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

-- A token as its events show it: every field but last_used_at, never the hash. Column by
-- column, so that the auditor (who may not read secret_hash) can call it too.
CREATE FUNCTION token_snapshot(
    id varchar, name varchar, role text, application_ids varchar[], acts_for_others boolean,
    created_at timestamptz, created_by varchar, expires_at timestamptz, revoked_at timestamptz
) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'id', id, 'name', name, 'role', role, 'application_ids', to_jsonb(application_ids),
        'acts_for_others', acts_for_others, 'created_at', utc_text(created_at), 'created_by', created_by,
        'expires_at', utc_text(expires_at), 'revoked_at', utc_text(revoked_at))
$$;

-- Only revoked_at (with the next version) and last_used_at (alone) may change.
CREATE FUNCTION tokens_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tokens: only revoked_at (stepping version by one) and last_used_at may change'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER tokens_version_starts
    BEFORE INSERT ON tokens
    FOR EACH ROW WHEN (NEW.version <> 1) EXECUTE FUNCTION entity_version_steps();

CREATE TRIGGER tokens_update_rules
    BEFORE UPDATE ON tokens
    FOR EACH ROW WHEN (
        (OLD.id, OLD.name, OLD.role, OLD.application_ids, OLD.acts_for_others, OLD.created_at,
         OLD.created_by, OLD.expires_at, OLD.secret_hash)
        IS DISTINCT FROM
        (NEW.id, NEW.name, NEW.role, NEW.application_ids, NEW.acts_for_others, NEW.created_at,
         NEW.created_by, NEW.expires_at, NEW.secret_hash)
        OR NEW.version <> OLD.version + CASE WHEN NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN 1 ELSE 0 END
    ) EXECUTE FUNCTION tokens_refuse_change();

CREATE TRIGGER tokens_no_delete
    BEFORE DELETE OR TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION entities_refuse_delete();

-- The deferred check of 0003 learns tokens: by commit time, the event of the row's
-- version holds the row's snapshot as its `after`.
CREATE OR REPLACE FUNCTION entity_change_is_audited() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entity text;
    snapshot jsonb;
BEGIN
    IF TG_TABLE_NAME = 'applications' THEN
        entity := 'application';
        snapshot := jsonb_build_object('id', NEW.id, 'name', NEW.name, 'comments', NEW.comments);
    ELSIF TG_TABLE_NAME = 'configurations' THEN
        entity := 'configuration';
        snapshot := jsonb_build_object('id', NEW.id, 'application_id', NEW.application_id,
                                       'name', NEW.name, 'comments', NEW.comments, 'config', NEW.config);
    ELSE
        entity := 'token';
        snapshot := token_snapshot(NEW.id, NEW.name, NEW.role, NEW.application_ids, NEW.acts_for_others,
                                   NEW.created_at, NEW.created_by, NEW.expires_at, NEW.revoked_at);
    END IF;
    PERFORM 1
       FROM config_events
      WHERE entity_type = entity AND entity_id = NEW.id AND version = NEW.version AND after = snapshot;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'config_events has no event for % % version % matching the row',
            entity, NEW.id, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER tokens_creation_is_audited
    AFTER INSERT ON tokens
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION entity_change_is_audited();

CREATE CONSTRAINT TRIGGER tokens_change_is_audited
    AFTER UPDATE ON tokens
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.version <> OLD.version) EXECUTE FUNCTION entity_change_is_audited();

-- Events of tokens: no application; created, then revoked (by a revocation or a rotation).
ALTER TABLE config_events
    ADD COLUMN token_id varchar(26) CHECK (length(token_id) = 26),
    ALTER COLUMN application_id DROP NOT NULL,
    DROP CONSTRAINT config_events_entity_type_check,
    DROP CONSTRAINT config_events_action_check,
    ADD CONSTRAINT config_events_entity_type_check CHECK (entity_type IN ('application', 'configuration', 'token')),
    ADD CONSTRAINT config_events_action_check CHECK (
        CASE WHEN entity_type = 'token' THEN action IN ('created', 'revoked') ELSE action IN ('created', 'updated') END
    ),
    ADD CONSTRAINT config_events_application_of_entity CHECK ((entity_type = 'token') = (application_id IS NULL));

CREATE INDEX config_events_token_idx ON config_events (token_id) WHERE token_id IS NOT NULL;

-- The hash of 0010, with token_id appended to the array when it is set:
--   [seq, id, occurred_at, entity_type, entity_id, application_id, action, version,
--    before, after, changed_fields, actor, request_id, restored_from, prev_hash, txid(, token_id)]
CREATE OR REPLACE FUNCTION config_events_entity_hash(e config_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(CASE WHEN e.token_id IS NULL THEN jsonb_build_array(
        e.seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.entity_type, e.entity_id, e.application_id, e.action, e.version,
        e.before, e.after, to_jsonb(e.changed_fields), e.actor, e.request_id, e.restored_from,
        e.prev_hash, e.txid
    ) ELSE jsonb_build_array(
        e.seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.entity_type, e.entity_id, e.application_id, e.action, e.version,
        e.before, e.after, to_jsonb(e.changed_fields), e.actor, e.request_id, e.restored_from,
        e.prev_hash, e.txid, e.token_id
    ) END::text, 'UTF8')), 'hex')
$$;

GRANT SELECT, INSERT ON tokens TO config_service_app;
GRANT UPDATE (revoked_at, last_used_at, version) ON tokens TO config_service_app;
GRANT SELECT (id, name, role, application_ids, acts_for_others, created_at, created_by, expires_at,
              revoked_at, last_used_at, version) ON tokens TO config_service_auditor;

-- Verification (0010) learns tokens: a token's row must equal the `after` of its latest
-- event, and token events need their row.
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
