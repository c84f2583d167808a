-- The database itself checks that every change of an application or configuration is
-- audited, also for writers that bypass the API: a row's version starts at 1 and steps by
-- one, and by commit time config_events holds the event of that version whose `after`
-- equals the row as written.

CREATE FUNCTION entity_version_steps() RETURNS trigger
LANGUAGE plpgsql AS $$
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

CREATE TRIGGER applications_version_steps
    BEFORE INSERT OR UPDATE ON applications
    FOR EACH ROW EXECUTE FUNCTION entity_version_steps();

CREATE TRIGGER configurations_version_steps
    BEFORE INSERT OR UPDATE ON configurations
    FOR EACH ROW EXECUTE FUNCTION entity_version_steps();

CREATE FUNCTION entity_change_is_audited() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entity text;
    snapshot jsonb;
BEGIN
    IF TG_TABLE_NAME = 'applications' THEN
        entity := 'application';
        snapshot := jsonb_build_object('id', NEW.id, 'name', NEW.name, 'comments', NEW.comments);
    ELSE
        entity := 'configuration';
        snapshot := jsonb_build_object('id', NEW.id, 'application_id', NEW.application_id,
                                       'name', NEW.name, 'comments', NEW.comments, 'config', NEW.config);
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

-- Deferred: the row is written first and its event appended later in the same transaction.
CREATE CONSTRAINT TRIGGER applications_change_is_audited
    AFTER INSERT OR UPDATE ON applications
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION entity_change_is_audited();

CREATE CONSTRAINT TRIGGER configurations_change_is_audited
    AFTER INSERT OR UPDATE ON configurations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION entity_change_is_audited();
