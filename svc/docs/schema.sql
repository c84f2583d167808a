-- The schema of the Config Service as it stands after every migration in svc/migrations/,
-- as `pg_dump --schema-only --no-owner` prints it. For reading: a database is built by the
-- migrations (`pipenv run migrate`), never from this file.
--
-- Generated; do not edit. After adding a migration, regenerate it from svc/ with
--     pipenv run python -m test.schema_dump > docs/schema.sql
-- (test/schema_dump_test.py fails while it differs from what the migrations produce).
--
-- Normalised so that it is the same on every machine and run: pg_dump's version header,
-- its \restrict line (a random key), its SET and set_config lines, and runs of blank lines
-- are left out. Owners are left out (--no-owner: the owner is whichever role ran the
-- migrations). GRANTs are kept: they name only the two fixed roles of migration 0005
-- (config_service_app, config_service_auditor), print the same every time, and document
-- the least privilege the service runs with.

--
-- Name: applications_deleted_without_live_configurations(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.applications_deleted_without_live_configurations() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM configurations WHERE application_id = NEW.id AND NOT deleted) THEN
        RAISE EXCEPTION 'applications: % was deleted while it has live configurations', NEW.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'applications_live_configurations';
    END IF;
    RETURN NULL;
END;
$$;

--
-- Name: config_events_chain(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_chain() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    previous_txid bigint;
    violated text;
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
    -- The change feed's wake-up, delivered at commit (dropped with a rollback), unless the
    -- session announces it itself once committed.
    IF NEW.entity_type = 'token' OR current_setting('config_service.announce', true) IS DISTINCT FROM 'after_commit' THEN
        PERFORM pg_notify('config_events', config_events_hint(NEW));
    END IF;
    -- The event's shape (these were CHECK constraints, under the same names).
    -- The first rule broken in the order of their names, as PostgreSQL checked them.
    violated := CASE
        WHEN NOT (CASE WHEN NEW.entity_type = 'token' THEN NEW.action IN ('created', 'revoked')
                       ELSE NEW.action IN ('created', 'updated', 'deleted', 'restored') END)
            THEN 'config_events_action_check'
        WHEN NOT ((NEW.entity_type = 'token') = (NEW.application_id IS NULL)) THEN 'config_events_application_of_entity'
        WHEN NOT (NEW.entity_type <> 'application' OR NEW.application_id = NEW.entity_id) THEN 'config_events_application_self'
        WHEN NOT ((NEW.action = 'created') = (NEW.version = 1)
                  AND (NEW.action IN ('created', 'restored')) = (NEW.before IS NULL)
                  AND (NEW.action = 'deleted') = (NEW.after IS NULL))
            THEN 'config_events_created_shape'
        WHEN NOT (NEW.entity_type IN ('application', 'configuration', 'token')) THEN 'config_events_entity_type_check'
        WHEN NOT (length(NEW.id) = 26) THEN 'config_events_id_check'
        WHEN NOT (NEW.restored_from IS NULL
                  OR (NEW.action = 'updated' AND NEW.restored_from >= 1 AND NEW.restored_from <= NEW.version - 1))
            THEN 'config_events_restored_from_check'
        WHEN NOT (length(NEW.token_id) = 26) THEN 'config_events_token_id_check'
        WHEN NOT (NEW.version >= 1) THEN 'config_events_version_check'
    END;
    IF violated IS NOT NULL THEN
        RAISE EXCEPTION 'new row for relation "config_events" violates check constraint "%"', violated
            USING ERRCODE = 'check_violation', CONSTRAINT = violated, TABLE = 'config_events';
    END IF;
    RETURN NEW;
END;
$$;

--
-- Name: config_events_checkpoint(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_checkpoint() RETURNS text
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: config_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.config_events (
    seq bigint NOT NULL,
    id character varying(26) NOT NULL,
    occurred_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    entity_type text NOT NULL,
    entity_id character varying(26) NOT NULL,
    application_id character varying(26),
    action text NOT NULL,
    version integer NOT NULL,
    before jsonb,
    after jsonb,
    changed_fields text[] NOT NULL,
    actor text,
    request_id text NOT NULL,
    restored_from integer,
    prev_hash text,
    hash text NOT NULL,
    txid bigint DEFAULT 0 NOT NULL,
    token_id character varying(26)
);

--
-- Name: config_events_entity_hash(public.config_events); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_entity_hash(e public.config_events) RETURNS text
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: config_events_hash(public.config_events, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_hash(e public.config_events, prev_hash text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        e.seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        e.entity_type, e.entity_id, e.application_id, e.action, e.version,
        e.before, e.after, to_jsonb(e.changed_fields), e.actor, e.request_id, e.restored_from,
        prev_hash
    )::text, 'UTF8')), 'hex')
$$;

--
-- Name: config_events_heads_digest(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_heads_digest(up_to bigint) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT encode(sha256(convert_to(coalesce(string_agg(head.hash, ',' ORDER BY head.entity_type COLLATE "C", head.entity_id COLLATE "C"), ''), 'UTF8')), 'hex')
      FROM (SELECT DISTINCT ON (entity_type, entity_id) entity_type, entity_id, hash
              FROM config_events
             WHERE seq <= up_to
             ORDER BY entity_type, entity_id, version DESC) AS head
$$;

--
-- Name: config_events_hint(public.config_events); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_hint(e public.config_events) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT json_build_object(
        'txid', e.txid, 'seq', e.seq, 'application_id', e.application_id,
        'entity_type', e.entity_type, 'entity_id', e.entity_id, 'actor', e.actor)::text
$$;

--
-- Name: config_events_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'config_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

--
-- Name: config_events_settled_seq(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_settled_seq() RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: config_events_verify(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_verify(checkpoint text DEFAULT NULL::text) RETURNS TABLE(seq bigint, entity_type text, entity_id text, problem text)
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: config_events_verify_checkpoint(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_verify_checkpoint(checkpoint text) RETURNS TABLE(seq bigint, entity_type text, entity_id text, problem text)
    LANGUAGE plpgsql STABLE
    AS $_$
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
$_$;

--
-- Name: config_events_verify_range(bigint, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_verify_range(after_seq bigint, up_to_seq bigint) RETURNS TABLE(seq bigint, entity_type text, entity_id text, problem text)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: config_events_verify_rows(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.config_events_verify_rows() RETURNS TABLE(seq bigint, entity_type text, entity_id text, problem text)
    LANGUAGE plpgsql STABLE
    AS $$
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

--
-- Name: configurations_keep_application(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.configurations_keep_application() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.application_id IS DISTINCT FROM OLD.application_id THEN
        RAISE EXCEPTION 'configurations.application_id cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

--
-- Name: configurations_need_a_live_application(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.configurations_need_a_live_application() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM 1 FROM applications WHERE id = NEW.application_id AND NOT deleted FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'configurations: application % is deleted', NEW.application_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'configurations_application_live';
    END IF;
    RETURN NEW;
END;
$$;

--
-- Name: entities_refuse_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.entities_refuse_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '%: % is not allowed (there is no audited delete operation)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

--
-- Name: entity_change_is_audited(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.entity_change_is_audited() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: entity_state(jsonb, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.entity_state(snapshot jsonb, deleted boolean) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN deleted THEN jsonb_build_object('deleted', snapshot) ELSE snapshot END
$$;

--
-- Name: entity_version_steps(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.entity_version_steps() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.version <> 1 THEN
        RAISE EXCEPTION '%: a new row has version 1, not %', TG_TABLE_NAME, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.version <> OLD.version + 1 THEN
        RAISE EXCEPTION '%: an update must advance version from % to %, not %',
            TG_TABLE_NAME, OLD.version, OLD.version + 1, NEW.version
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

--
-- Name: event_state(jsonb, jsonb); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.event_state(after jsonb, before jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT coalesce(after, jsonb_build_object('deleted', before))
$$;

--
-- Name: token_snapshot(character varying, character varying, text, character varying[], boolean, timestamp with time zone, character varying, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.token_snapshot(id character varying, name character varying, role text, application_ids character varying[], acts_for_others boolean, created_at timestamp with time zone, created_by character varying, expires_at timestamp with time zone, revoked_at timestamp with time zone) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object(
        'id', id, 'name', name, 'role', role, 'application_ids', to_jsonb(application_ids),
        'acts_for_others', acts_for_others, 'created_at', utc_text(created_at), 'created_by', created_by,
        'expires_at', utc_text(expires_at), 'revoked_at', utc_text(revoked_at))
$$;

--
-- Name: tokens_refuse_change(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.tokens_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'tokens: only revoked_at (stepping version by one) and last_used_at may change'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

--
-- Name: utc_text(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.utc_text(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

--
-- Name: applications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.applications (
    id character varying(26) NOT NULL,
    name character varying(256) NOT NULL,
    comments character varying(1024),
    version integer DEFAULT 1 NOT NULL,
    deleted boolean DEFAULT false NOT NULL,
    CONSTRAINT applications_id_check CHECK ((length((id)::text) = 26)),
    CONSTRAINT applications_name_check CHECK ((length((name)::text) >= 1)),
    CONSTRAINT applications_version_check CHECK ((version >= 1))
);

--
-- Name: audit_checkpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_checkpoints (
    id bigint NOT NULL,
    taken_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    seq bigint NOT NULL,
    hash text
);

--
-- Name: audit_checkpoints_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_checkpoints ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_checkpoints_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: config_events_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.config_events ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.config_events_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: configurations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.configurations (
    id character varying(26) NOT NULL,
    application_id character varying(26) NOT NULL,
    name character varying(256) NOT NULL,
    comments character varying(1024),
    config jsonb NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    deleted boolean DEFAULT false NOT NULL,
    CONSTRAINT configurations_config_check CHECK ((jsonb_typeof(config) = 'object'::text)),
    CONSTRAINT configurations_id_check CHECK ((length((id)::text) = 26)),
    CONSTRAINT configurations_name_check CHECK ((length((name)::text) >= 1)),
    CONSTRAINT configurations_version_check CHECK ((version >= 1))
);

--
-- Name: migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.migrations (
    version integer NOT NULL,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tokens (
    id character varying(26) NOT NULL,
    name character varying(256) NOT NULL,
    role text NOT NULL,
    application_ids character varying(26)[],
    acts_for_others boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    created_by character varying(26),
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    secret_hash text NOT NULL,
    version integer DEFAULT 1 NOT NULL,
    CONSTRAINT tokens_application_ids_check CHECK (((application_ids IS NULL) OR (cardinality(application_ids) >= 1))),
    CONSTRAINT tokens_id_check CHECK ((length((id)::text) = 26)),
    CONSTRAINT tokens_lifetime CHECK (((expires_at > created_at) AND (expires_at <= (created_at + '366 days'::interval)))),
    CONSTRAINT tokens_name_check CHECK ((length((name)::text) >= 1)),
    CONSTRAINT tokens_role_check CHECK ((role = ANY (ARRAY['reader'::text, 'writer'::text, 'auditor'::text, 'admin'::text]))),
    CONSTRAINT tokens_scope_roles CHECK (((application_ids IS NULL) OR (role = ANY (ARRAY['reader'::text, 'writer'::text])))),
    CONSTRAINT tokens_secret_hash_check CHECK ((secret_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT tokens_version_check CHECK ((version >= 1))
);

--
-- Name: applications applications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_pkey PRIMARY KEY (id);

--
-- Name: audit_checkpoints audit_checkpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_checkpoints
    ADD CONSTRAINT audit_checkpoints_pkey PRIMARY KEY (id);

--
-- Name: config_events config_events_entity_version_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_events
    ADD CONSTRAINT config_events_entity_version_key UNIQUE (entity_type, entity_id, version);

--
-- Name: config_events config_events_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_events
    ADD CONSTRAINT config_events_id_key UNIQUE (id);

--
-- Name: config_events config_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.config_events
    ADD CONSTRAINT config_events_pkey PRIMARY KEY (seq);

--
-- Name: configurations configurations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.configurations
    ADD CONSTRAINT configurations_pkey PRIMARY KEY (id);

--
-- Name: migrations migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.migrations
    ADD CONSTRAINT migrations_pkey PRIMARY KEY (version);

--
-- Name: tokens tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_pkey PRIMARY KEY (id);

--
-- Name: tokens tokens_secret_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_secret_hash_key UNIQUE (secret_hash);

--
-- Name: applications_name_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX applications_name_key ON public.applications USING btree (name) WHERE (NOT deleted);

--
-- Name: config_events_application_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX config_events_application_time_idx ON public.config_events USING btree (application_id, occurred_at);

--
-- Name: config_events_feed_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX config_events_feed_idx ON public.config_events USING btree (txid, seq);

--
-- Name: config_events_time_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX config_events_time_idx ON public.config_events USING btree (occurred_at);

--
-- Name: config_events_token_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX config_events_token_idx ON public.config_events USING btree (token_id) WHERE (token_id IS NOT NULL);

--
-- Name: configurations_application_id_name_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX configurations_application_id_name_key ON public.configurations USING btree (application_id, name) WHERE (NOT deleted);

--
-- Name: applications applications_change_is_audited; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER applications_change_is_audited AFTER INSERT OR UPDATE ON public.applications DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.entity_change_is_audited();

--
-- Name: applications applications_deleted_without_live_configurations; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER applications_deleted_without_live_configurations AFTER UPDATE ON public.applications DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((new.deleted AND (NOT old.deleted))) EXECUTE FUNCTION public.applications_deleted_without_live_configurations();

--
-- Name: applications applications_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER applications_no_delete BEFORE DELETE OR TRUNCATE ON public.applications FOR EACH STATEMENT EXECUTE FUNCTION public.entities_refuse_delete();

--
-- Name: applications applications_version_starts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER applications_version_starts BEFORE INSERT ON public.applications FOR EACH ROW WHEN ((new.version <> 1)) EXECUTE FUNCTION public.entity_version_steps();

--
-- Name: applications applications_version_steps; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER applications_version_steps BEFORE UPDATE ON public.applications FOR EACH ROW WHEN ((new.version <> (old.version + 1))) EXECUTE FUNCTION public.entity_version_steps();

--
-- Name: config_events config_events_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER config_events_append_only BEFORE DELETE OR UPDATE OR TRUNCATE ON public.config_events FOR EACH STATEMENT EXECUTE FUNCTION public.config_events_refuse_change();

--
-- Name: config_events config_events_zz_chain; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER config_events_zz_chain BEFORE INSERT ON public.config_events FOR EACH ROW EXECUTE FUNCTION public.config_events_chain();

--
-- Name: configurations configurations_change_is_audited; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER configurations_change_is_audited AFTER INSERT OR UPDATE ON public.configurations DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.entity_change_is_audited();

--
-- Name: configurations configurations_created_in_a_live_application; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER configurations_created_in_a_live_application BEFORE INSERT ON public.configurations FOR EACH ROW WHEN ((NOT new.deleted)) EXECUTE FUNCTION public.configurations_need_a_live_application();

--
-- Name: configurations configurations_keep_application; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER configurations_keep_application BEFORE UPDATE OF application_id ON public.configurations FOR EACH ROW EXECUTE FUNCTION public.configurations_keep_application();

--
-- Name: configurations configurations_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER configurations_no_delete BEFORE DELETE OR TRUNCATE ON public.configurations FOR EACH STATEMENT EXECUTE FUNCTION public.entities_refuse_delete();

--
-- Name: configurations configurations_restored_in_a_live_application; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER configurations_restored_in_a_live_application BEFORE UPDATE ON public.configurations FOR EACH ROW WHEN ((old.deleted AND (NOT new.deleted))) EXECUTE FUNCTION public.configurations_need_a_live_application();

--
-- Name: configurations configurations_version_starts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER configurations_version_starts BEFORE INSERT ON public.configurations FOR EACH ROW WHEN ((new.version <> 1)) EXECUTE FUNCTION public.entity_version_steps();

--
-- Name: configurations configurations_version_steps; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER configurations_version_steps BEFORE UPDATE ON public.configurations FOR EACH ROW WHEN ((new.version <> (old.version + 1))) EXECUTE FUNCTION public.entity_version_steps();

--
-- Name: tokens tokens_change_is_audited; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER tokens_change_is_audited AFTER UPDATE ON public.tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ((new.version <> old.version)) EXECUTE FUNCTION public.entity_change_is_audited();

--
-- Name: tokens tokens_creation_is_audited; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER tokens_creation_is_audited AFTER INSERT ON public.tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.entity_change_is_audited();

--
-- Name: tokens tokens_no_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tokens_no_delete BEFORE DELETE OR TRUNCATE ON public.tokens FOR EACH STATEMENT EXECUTE FUNCTION public.entities_refuse_delete();

--
-- Name: tokens tokens_update_rules; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tokens_update_rules BEFORE UPDATE ON public.tokens FOR EACH ROW WHEN ((((((((((((old.id)::text IS DISTINCT FROM (new.id)::text) OR ((old.name)::text IS DISTINCT FROM (new.name)::text)) OR (old.role IS DISTINCT FROM new.role)) OR (old.application_ids IS DISTINCT FROM new.application_ids)) OR (old.acts_for_others IS DISTINCT FROM new.acts_for_others)) OR (old.created_at IS DISTINCT FROM new.created_at)) OR ((old.created_by)::text IS DISTINCT FROM (new.created_by)::text)) OR (old.expires_at IS DISTINCT FROM new.expires_at)) OR (old.secret_hash IS DISTINCT FROM new.secret_hash)) OR (new.version <> (old.version +
        CASE
            WHEN (new.revoked_at IS DISTINCT FROM old.revoked_at) THEN 1
            ELSE 0
        END)))) EXECUTE FUNCTION public.tokens_refuse_change();

--
-- Name: tokens tokens_version_starts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tokens_version_starts BEFORE INSERT ON public.tokens FOR EACH ROW WHEN ((new.version <> 1)) EXECUTE FUNCTION public.entity_version_steps();

--
-- Name: configurations configurations_application_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.configurations
    ADD CONSTRAINT configurations_application_id_fkey FOREIGN KEY (application_id) REFERENCES public.applications(id);

--
-- Name: tokens tokens_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tokens
    ADD CONSTRAINT tokens_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.tokens(id);

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO config_service_app;
GRANT USAGE ON SCHEMA public TO config_service_auditor;

--
-- Name: TABLE config_events; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.config_events TO config_service_app;
GRANT SELECT ON TABLE public.config_events TO config_service_auditor;

--
-- Name: TABLE applications; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.applications TO config_service_app;
GRANT SELECT ON TABLE public.applications TO config_service_auditor;

--
-- Name: TABLE audit_checkpoints; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.audit_checkpoints TO config_service_auditor;
GRANT SELECT ON TABLE public.audit_checkpoints TO config_service_app;

--
-- Name: TABLE configurations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT,UPDATE ON TABLE public.configurations TO config_service_app;
GRANT SELECT ON TABLE public.configurations TO config_service_auditor;

--
-- Name: TABLE migrations; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT ON TABLE public.migrations TO config_service_app;
GRANT SELECT ON TABLE public.migrations TO config_service_auditor;

--
-- Name: TABLE tokens; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT,INSERT ON TABLE public.tokens TO config_service_app;

--
-- Name: COLUMN tokens.id; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(id) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.name; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(name) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.role; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(role) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.application_ids; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(application_ids) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.acts_for_others; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(acts_for_others) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.created_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_at) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.created_by; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(created_by) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.expires_at; Type: ACL; Schema: public; Owner: -
--

GRANT SELECT(expires_at) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.revoked_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(revoked_at) ON TABLE public.tokens TO config_service_app;
GRANT SELECT(revoked_at) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.last_used_at; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(last_used_at) ON TABLE public.tokens TO config_service_app;
GRANT SELECT(last_used_at) ON TABLE public.tokens TO config_service_auditor;

--
-- Name: COLUMN tokens.version; Type: ACL; Schema: public; Owner: -
--

GRANT UPDATE(version) ON TABLE public.tokens TO config_service_app;
GRANT SELECT(version) ON TABLE public.tokens TO config_service_auditor;
