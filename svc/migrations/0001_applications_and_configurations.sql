CREATE TABLE applications (
    id       varchar(26)   PRIMARY KEY CHECK (length(id) = 26),
    name     varchar(256)  NOT NULL UNIQUE CHECK (length(name) >= 1),
    comments varchar(1024),
    version  integer       NOT NULL DEFAULT 1 CHECK (version >= 1)
);

CREATE TABLE configurations (
    id             varchar(26)   PRIMARY KEY CHECK (length(id) = 26),
    application_id varchar(26)   NOT NULL REFERENCES applications (id),
    name           varchar(256)  NOT NULL CHECK (length(name) >= 1),
    comments       varchar(1024),
    config         jsonb         NOT NULL CHECK (jsonb_typeof(config) = 'object'),
    version        integer       NOT NULL DEFAULT 1 CHECK (version >= 1),
    UNIQUE (application_id, name)
);

-- The application is fixed once a configuration is created.
CREATE FUNCTION configurations_keep_application() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.application_id IS DISTINCT FROM OLD.application_id THEN
        RAISE EXCEPTION 'configurations.application_id cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER configurations_keep_application
    BEFORE UPDATE OF application_id ON configurations
    FOR EACH ROW EXECUTE FUNCTION configurations_keep_application();
