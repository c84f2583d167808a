-- The change feed's wake-up: each appended event notifies channel `config_events` at
-- commit (never for a rollback) with what a waiting client filters on. NOTIFY is only a
-- hint: it is lost when nobody listens, and the feed's truth is always the table.
CREATE FUNCTION config_events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('config_events', json_build_object(
        'seq', NEW.seq, 'application_id', NEW.application_id, 'entity_type', NEW.entity_type,
        'entity_id', NEW.entity_id, 'actor', NEW.actor)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER config_events_notify
    AFTER INSERT ON config_events
    FOR EACH ROW EXECUTE FUNCTION config_events_notify();
