-- The append trigger's two lookups in one query: the chain's tail (newest event) and the
-- gapless-version probe each cost an executor start per appended event; together they
-- cost one (about a tenth of PostgreSQL's CPU per write, measured with a backend's CPU
-- time over 3,000 appends). Same checks, same errors as 0007.
CREATE OR REPLACE FUNCTION config_events_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    version_follows boolean;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        -- A snapshot older than the lock could miss the newest event and fork the chain.
        RAISE EXCEPTION 'config_events: append under READ COMMITTED, not %',
            current_setting('transaction_isolation')
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    -- One query for the chain's tail and the gapless-version check: version 1 for a new
    -- entity, else version - 1 must exist (the unique key refuses a version that exists).
    SELECT tail.seq, tail.hash,
           CASE WHEN NEW.version = 1
                THEN NOT EXISTS (SELECT 1 FROM config_events
                                  WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id)
                WHEN NEW.version > 1
                THEN EXISTS (SELECT 1 FROM config_events
                              WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id
                                AND version = NEW.version - 1)
                ELSE true  -- version < 1 is the CHECK constraint's to refuse
           END
      INTO last_seq, last_hash, version_follows
      FROM (SELECT) AS one
      LEFT JOIN LATERAL (SELECT seq, hash FROM config_events ORDER BY seq DESC LIMIT 1) AS tail ON true;
    IF NOT version_follows THEN
        RAISE EXCEPTION 'config_events: version % of % % does not follow %',
            NEW.version, NEW.entity_type, NEW.entity_id,
            (SELECT coalesce(max(version), 0) FROM config_events
              WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
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
