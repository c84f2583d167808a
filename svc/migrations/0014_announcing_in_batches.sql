-- Announcing the service's events in batches. A NOTIFY in a writing transaction takes a
-- lock on the whole database at commit and keeps it until the commit is on disk, so every
-- notifying writer's commit waited for the one before it to be flushed: writes could not
-- share a WAL flush (POST at 32 connections, same run: 1,170-1,280 req/s notifying,
-- 1,490-1,720 not).
--   * config_events_hint(event): the change feed's hint for an event, one definition for
--     the trigger and for the statements that return it.
--   * A session that sets config_service.announce = 'after_commit' (the service's pool
--     does, at connect) does not notify its applications' and configurations' events: its
--     statements return their hints, and the service sends them after the commit, those of
--     a few milliseconds together in one transaction that writes no rows.
--   * Token events notify at commit in every session (a revocation must reach every
--     worker), and every other session (psql, scripts, the owner) notifies at commit as
--     before.

CREATE FUNCTION config_events_hint(e config_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'txid', e.txid, 'seq', e.seq, 'application_id', e.application_id,
        'entity_type', e.entity_type, 'entity_id', e.entity_id, 'actor', e.actor)::text
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
    -- The change feed's wake-up, delivered at commit (dropped with a rollback), unless the
    -- session announces it itself once committed.
    IF NEW.entity_type = 'token' OR current_setting('config_service.announce', true) IS DISTINCT FROM 'after_commit' THEN
        PERFORM pg_notify('config_events', config_events_hint(NEW));
    END IF;
    RETURN NEW;
END;
$$;
