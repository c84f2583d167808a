import psycopg2

from bench.big_log import fill, positions_mid_log
from bench.seed import seed
from test.audit_invariants import assert_audit_invariants


def test_fill_writes_audited_rows_and_a_long_history(database_url, db):
    conn = psycopg2.connect(database_url)  # seed and fill commit their own transactions
    [config] = seed(conn, 1, 1)
    fill(conn, 25, config["id"], 30)
    positions = positions_mid_log(conn, 56, count=5)
    conn.close()
    assert len(positions) == 5 and all(14 <= seq <= 28 and txid > 0 for txid, seq in positions)
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n, max(version) AS v FROM config_events")
        assert dict(cur.fetchone()) == {"n": 2 + 25 + 29, "v": 30}
        cur.execute("SELECT count(*) AS n FROM config_events_verify()")
        assert cur.fetchone()["n"] == 0
    assert_audit_invariants(db)
