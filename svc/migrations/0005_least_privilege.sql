-- Least privilege. The owner (who runs migrations) keeps every right; the service serves
-- as a member of config_service_app, which owns nothing, is no superuser, and may only
-- read, insert and update applications and configurations and read and insert events.
-- config_service_auditor may only read. Both are NOLOGIN groups: grant them to login
-- roles (`GRANT config_service_app TO my_service_login`); with the local PostgreSQL,
-- `start` lets them log in directly. Roles are per cluster: an existing one is reused.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'config_service_app') THEN
        CREATE ROLE config_service_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'config_service_auditor') THEN
        CREATE ROLE config_service_auditor NOLOGIN;
    END IF;
END;
$$;

GRANT USAGE ON SCHEMA public TO config_service_app, config_service_auditor;
GRANT SELECT, INSERT, UPDATE ON applications, configurations TO config_service_app;
GRANT SELECT, INSERT ON config_events TO config_service_app;
GRANT SELECT ON migrations TO config_service_app;
GRANT SELECT ON applications, configurations, config_events, migrations, audit_checkpoints
    TO config_service_auditor;

-- There is no delete operation: deleting an application or configuration would erase the
-- subject of its history. Refused for every role, the owner included (short of disabling
-- the trigger, which `audit verify` then reveals as events whose row is missing).
CREATE FUNCTION entities_refuse_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%: % is not allowed (there is no audited delete operation)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER applications_no_delete
    BEFORE DELETE OR TRUNCATE ON applications
    FOR EACH STATEMENT EXECUTE FUNCTION entities_refuse_delete();

CREATE TRIGGER configurations_no_delete
    BEFORE DELETE OR TRUNCATE ON configurations
    FOR EACH STATEMENT EXECUTE FUNCTION entities_refuse_delete();
