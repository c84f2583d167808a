-- One row trigger per appended event instead of three (gapless version, chain, wake-up):
-- fewer trigger calls per write, and the version check becomes an equality probe on the
-- (entity_type, entity_id, version) key instead of a max(version) scan, whose plan, made
-- while the table was small, could stay a sequential scan.
CREATE OR REPLACE FUNCTION config_events_chain() RETURNS trigger
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
    -- Gapless versions: version 1 for a new entity, else version - 1 must exist (the unique
    -- key refuses a version that exists already).
    IF (NEW.version = 1 AND EXISTS (
            SELECT 1 FROM config_events
             WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id))
       OR (NEW.version > 1 AND NOT EXISTS (
            SELECT 1 FROM config_events
             WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id AND version = NEW.version - 1))
    THEN
        RAISE EXCEPTION 'config_events: version % of % % does not follow %',
            NEW.version, NEW.entity_type, NEW.entity_id,
            (SELECT coalesce(max(version), 0) FROM config_events
              WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM config_events ORDER BY seq DESC LIMIT 1;
    IF NEW.seq <= last_seq THEN
        RAISE EXCEPTION 'config_events: seq % does not follow %', NEW.seq, last_seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    NEW.occurred_at := clock_timestamp();  -- the database clock, whatever the writer sent
    NEW.prev_hash := last_hash;
    NEW.hash := config_events_hash(NEW, last_hash);
    -- The change feed's wake-up, delivered at commit (dropped with a rollback).
    PERFORM pg_notify('config_events', json_build_object(
        'seq', NEW.seq, 'application_id', NEW.application_id, 'entity_type', NEW.entity_type,
        'entity_id', NEW.entity_id, 'actor', NEW.actor)::text);
    RETURN NEW;
END;
$$;

DROP TRIGGER config_events_gapless_version ON config_events;
DROP FUNCTION config_events_check_version();
DROP TRIGGER config_events_notify ON config_events;
DROP FUNCTION config_events_notify();
