-- A row's version starts at 1 and steps by one (0003), now checked in each trigger's WHEN
-- condition: PostgreSQL evaluates it without calling the function, which runs only to
-- refuse. One call of a PL/pgSQL function less per write. Same checks, same errors.
DROP TRIGGER applications_version_steps ON applications;
DROP TRIGGER configurations_version_steps ON configurations;

CREATE TRIGGER applications_version_starts
    BEFORE INSERT ON applications
    FOR EACH ROW WHEN (NEW.version <> 1) EXECUTE FUNCTION entity_version_steps();
CREATE TRIGGER applications_version_steps
    BEFORE UPDATE ON applications
    FOR EACH ROW WHEN (NEW.version <> OLD.version + 1) EXECUTE FUNCTION entity_version_steps();

CREATE TRIGGER configurations_version_starts
    BEFORE INSERT ON configurations
    FOR EACH ROW WHEN (NEW.version <> 1) EXECUTE FUNCTION entity_version_steps();
CREATE TRIGGER configurations_version_steps
    BEFORE UPDATE ON configurations
    FOR EACH ROW WHEN (NEW.version <> OLD.version + 1) EXECUTE FUNCTION entity_version_steps();
