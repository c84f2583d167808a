"""The database's own ceiling: pgbench running the SQL the service sends for each endpoint."""

import re
import subprocess
import tempfile
from pathlib import Path

from config_service.repositories import applications, configurations

CLIENTS = 8


def _literal(sql: str, **values: str) -> str:
    for name, value in values.items():
        sql = sql.replace(f"%({name})s", value)
    return sql


def scripts(app_ids: list[str], configs: list[dict]) -> dict[str, list[str]]:
    """pgbench scripts per endpoint; several files spread the reads over different rows."""
    app_reads = [_literal(applications.SELECT_JSON, id=f"'{i}'") for i in app_ids[:20]]
    config_reads = [_literal(configurations.SELECT_JSON, id=f"'{c['id']}'") for c in configs[:20]]
    event = (
        "INSERT INTO config_events (id, entity_type, entity_id, application_id, action, version, before, after,"
        " changed_fields, actor, request_id) VALUES ({id}, {type}, {entity}, {app}, {action}, {version},"
        " {before}, {after}, {fields}, NULL, 'pgbench');"
    )
    new_id = "upper(substr(md5(random()::text || clock_timestamp()::text), 1, 26))"
    create = "\n".join([
        "BEGIN;",
        "\\set n random(1, 1000000000)",
        _literal(applications.INSERT, id=":newid", name="'pgb-' || :client_id || '-' || :n || '-' || random()",
                 comments="NULL").strip().replace(":newid", new_id) + " \\gset app_",
        event.format(id=new_id, type="'application'", entity="':app_id'", app="':app_id'", action="'created'",
                     version="1", before="NULL",
                     after="jsonb_build_object('id', ':app_id'::text, 'name', ':app_name'::text, 'comments', NULL)",
                     fields="'{id,name,comments}'"),
        "COMMIT;",
    ])
    updates = []
    for c in configs[:20]:
        cid = f"'{c['id']}'"
        updates.append("\n".join([
            "BEGIN;",
            _literal(configurations.SELECT_FOR_UPDATE, id=cid).strip() + " \\gset old_",
            _literal(configurations.UPDATE, id=cid, name=f"'{c['name']}'", comments="NULL",
                     config="'{\"replicas\": 1}'").strip() + " \\gset new_",
            event.format(id=new_id, type="'configuration'", entity=cid, app=f"'{c['application_id']}'",
                         action="'updated'", version=":new_version", before="'{}'",
                         after=f"jsonb_build_object('id', {cid}, 'application_id', '{c['application_id']}', "
                               f"'name', '{c['name']}', 'comments', NULL, 'config', '{{\"replicas\": 1}}'::jsonb)",
                         fields="'{config}'"),
            "COMMIT;",
        ]))
    return {
        "GET application": app_reads,
        "GET configuration": config_reads,
        "GET list": [applications.LIST_STAMP],
        "POST application": [create],
        "PUT configuration": updates,
    }


def run(pgbench: Path, url: str, sql_scripts: list[str], seconds: int, clients: int = CLIENTS) -> float:
    """Transactions per second, excluding connection time."""
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i, sql in enumerate(sql_scripts):
            path = Path(folder) / f"s{i}.sql"
            path.write_text(sql.strip().rstrip(";") + ";\n")
            files += ["-f", str(path)]
        command = [str(pgbench), "-n", "-M", "simple", "-c", str(clients), "-j", "2", "-T", str(seconds),
                   *files, url]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", output).group(1))
