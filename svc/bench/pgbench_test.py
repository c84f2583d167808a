import psycopg2

from bench import pgbench
from bench.seed import seed
from config_service.db import local_postgres


def test_pgbench_runs_every_endpoint_script(database_url):
    conn = psycopg2.connect(database_url)
    configs = seed(conn, 3, 2)
    conn.close()
    app_ids = sorted({c["application_id"] for c in configs})
    scripts = pgbench.scripts(app_ids, configs)
    assert set(scripts) == {"GET application", "GET configuration", "GET list", "POST application", "PUT configuration"}
    for endpoint, sql in scripts.items():
        tps = pgbench.run(local_postgres.tool("pgbench"), database_url, sql, seconds=1, clients=2)
        assert tps > 0, endpoint
