def test_health_does_not_need_the_database(client):
    assert client.get("/health").json() == {"status": "ok"}


def test_ready_when_migrated(client):
    response = client.get("/ready")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


def test_not_ready_when_a_migration_is_missing(client, db):
    db.cursor().execute("ALTER TABLE migrations RENAME TO migrations_hidden")
    response = client.get("/ready")
    assert response.status_code == 503
    assert "Migrations not applied" in response.json()["detail"]


def test_ready_does_not_queue_behind_a_saturated_pool(client):
    database = client.app.state.database
    held = [database.pool.acquire(deadline=float("inf")) for _ in range(database.settings.pool_max_size)]
    try:
        assert client.get("/ready").status_code == 200
    finally:
        for conn in held:
            database.pool.release(conn)
