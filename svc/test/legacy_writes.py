"""The write statements as the service sent them before migration 0011, for tests that
build a log on a schema migrated only that far."""

CREATE_APPLICATION = """
WITH new AS (
    INSERT INTO applications (id, name, comments)
    VALUES (%(id)s, %(name)s, %(comments)s)
    RETURNING id, name, comments, version
)

INSERT INTO config_events
       (id, entity_type, entity_id, application_id, action, version,
        before, after, changed_fields, actor, request_id, restored_from)

SELECT %(event_id)s, 'application', new.id, new.id, 'created', new.version,
       NULL, jsonb_build_object('id', new.id, 'name', new.name, 'comments', new.comments), '{id,name,comments}', %(actor)s, %(request_id)s, NULL
  FROM new
"""

UPDATE_APPLICATION = """
WITH old AS (
    SELECT id, name, comments, version
      FROM applications
     WHERE id = %(id)s
       FOR UPDATE
), new AS (
    UPDATE applications a
       SET name = %(name)s, comments = %(comments)s, version = a.version + 1
      FROM old
     WHERE a.id = old.id AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
 RETURNING a.id, a.name, a.comments, a.version
), event AS (
    
INSERT INTO config_events
       (id, entity_type, entity_id, application_id, action, version,
        before, after, changed_fields, actor, request_id, restored_from)

    SELECT %(event_id)s, 'application', new.id, new.id, 'updated', new.version,
           jsonb_build_object('id', old.id, 'name', old.name, 'comments', old.comments), jsonb_build_object('id', new.id, 'name', new.name, 'comments', new.comments),
           array_remove(ARRAY[
               CASE WHEN new.name IS DISTINCT FROM old.name THEN 'name' END,
               CASE WHEN new.comments IS DISTINCT FROM old.comments THEN 'comments' END
           ], NULL),
           %(actor)s, %(request_id)s, %(restored_from)s
      FROM old, new
)
SELECT old.version AS current_version, new.version,
       json_build_object('id', new.id, 'name', new.name, 'comments', new.comments)::text AS body,
       (SELECT count(*) FROM configurations c WHERE c.application_id = old.id) AS configurations
  FROM old LEFT JOIN new ON true
"""
