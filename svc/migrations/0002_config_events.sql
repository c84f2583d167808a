CREATE TABLE config_events (
    seq            bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id             varchar(26)  NOT NULL UNIQUE CHECK (length(id) = 26),
    occurred_at    timestamptz  NOT NULL DEFAULT clock_timestamp(),
    entity_type    text         NOT NULL CHECK (entity_type IN ('application', 'configuration')),
    entity_id      varchar(26)  NOT NULL,
    application_id varchar(26)  NOT NULL,
    action         text         NOT NULL CHECK (action IN ('created', 'updated')),
    version        integer      NOT NULL CHECK (version >= 1),
    before         jsonb,
    after          jsonb        NOT NULL,
    changed_fields text[]       NOT NULL,
    actor          text,
    request_id     text         NOT NULL,
    CONSTRAINT config_events_entity_version_key UNIQUE (entity_type, entity_id, version),
    CONSTRAINT config_events_created_shape CHECK (
        (action = 'created') = (version = 1) AND (action = 'created') = (before IS NULL)
    ),
    CONSTRAINT config_events_application_self CHECK (
        entity_type <> 'application' OR application_id = entity_id
    )
);

CREATE INDEX config_events_application_time_idx ON config_events (application_id, occurred_at);
CREATE INDEX config_events_time_idx ON config_events (occurred_at);

-- The audit log is append-only, whoever connects.
CREATE FUNCTION config_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'config_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Per statement, so even one that would touch no row is refused.
CREATE TRIGGER config_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON config_events
    FOR EACH STATEMENT EXECUTE FUNCTION config_events_refuse_change();

-- Versions are gapless per entity, also for writers that bypass the API.
CREATE FUNCTION config_events_check_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    latest integer;
BEGIN
    SELECT max(version) INTO latest
      FROM config_events
     WHERE entity_type = NEW.entity_type AND entity_id = NEW.entity_id;
    IF NEW.version <> coalesce(latest, 0) + 1 THEN
        RAISE EXCEPTION 'config_events: version % of % % does not follow %',
            NEW.version, NEW.entity_type, NEW.entity_id, coalesce(latest, 0)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER config_events_gapless_version
    BEFORE INSERT ON config_events
    FOR EACH ROW EXECUTE FUNCTION config_events_check_version();
