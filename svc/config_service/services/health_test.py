from config_service.services import health


def test_missing_migrations_lists_what_the_database_lacks():
    expected = health.expected_versions()
    assert health.missing_migrations(set(expected)) == []
    assert health.missing_migrations(set()) == sorted(expected)
