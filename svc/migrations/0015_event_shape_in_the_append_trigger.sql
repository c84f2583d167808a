-- The event's shape checked in the append trigger instead of CHECK constraints.
-- PostgreSQL reads a table's CHECK constraints from their stored text and plans them anew
-- in every statement that writes the table: the nine of config_events cost about a fifth
-- of PostgreSQL's CPU per write (an application's create, one backend, synchronous_commit
-- off: about 320 us with the CHECK constraints of both tables, 230 without). The append
-- trigger is compiled once per session and runs for every event, whoever writes it (only
-- the owner can disable it, and an event written so has no hash: `audit verify` reports
-- it), so the same rules move there as one expression, under the same names: a violation
-- is still a check_violation naming its constraint. The constraints of the other tables
-- (three or four short ones each) stay.

ALTER TABLE config_events
    DROP CONSTRAINT config_events_action_check,
    DROP CONSTRAINT config_events_application_of_entity,
    DROP CONSTRAINT config_events_application_self,
    DROP CONSTRAINT config_events_created_shape,
    DROP CONSTRAINT config_events_entity_type_check,
    DROP CONSTRAINT config_events_id_check,
    DROP CONSTRAINT config_events_restored_from_check,
    DROP CONSTRAINT config_events_token_id_check,
    DROP CONSTRAINT config_events_version_check;

CREATE OR REPLACE FUNCTION config_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
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
