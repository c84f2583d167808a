from bench.seed import seed
from test.audit_invariants import assert_audit_invariants, counts


def test_seed_writes_rows_with_their_events(database_url, db):
    import psycopg2

    conn = psycopg2.connect(database_url)
    configs = seed(conn, 3, 2)
    conn.close()
    assert len(configs) == 6 and {c["name"] for c in configs} == {"conf-0", "conf-1"}
    assert counts(db) == (3, 6, 9)
    assert_audit_invariants(db)
