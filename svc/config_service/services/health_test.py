from config_service.services import health
from test.fakes import FakeUnitOfWork


def test_missing_migrations_lists_what_the_database_lacks():
    expected = health.expected_versions()
    assert health.missing_migrations(FakeUnitOfWork(set(expected))) == []
    assert health.missing_migrations(FakeUnitOfWork(set())) == sorted(expected)
