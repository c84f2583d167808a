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
    app_reads = [_literal(applications.SELECT_JSON.sql, id=f"'{i}'") for i in app_ids[:20]]
    config_reads = [_literal(configurations.SELECT_JSON.sql, id=f"'{c['id']}'") for c in configs[:20]]
    new_id = "upper(substr(md5(random()::text || clock_timestamp()::text), 1, 26))"
    event = {"event_id": new_id, "actor": "NULL", "request_id": "'pgbench'", "token_id": "NULL"}
    create = "\n".join([
        "\\set n random(1, 1000000000)",
        _literal(applications.CREATE.sql, id=new_id, name="'pgb-' || :client_id || '-' || :n || '-' || random()",
                 comments="NULL", **event),
    ])
    updates = [
        _literal(configurations.UPDATE.sql, id=f"'{c['id']}'", name=f"'{c['name']}'", comments="NULL",
                 config="'{\"replicas\": 1}'", versions="NULL", restored_from="NULL", **event)
        for c in configs[:20]
    ]
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
        command = [str(pgbench), "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds),
                   *files, url]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", output).group(1))
