import random

from bench import history


def test_paths_stay_within_the_log():
    rng = random.Random(1)
    made = {name: make() for name, make in history.paths("C", 200, [(7, 400)], ["2026-01-01T00:00:00Z"], rng).items()}
    assert made["versions/{n}"].startswith("/api/v1/configurations/C/versions/")
    assert "as_of=2026-01-01T00:00:00Z" in made["as_of"]
    assert made["events page (100, after a cursor mid-log)"].startswith("/api/v1/events?limit=100&after=7.400.")


def test_table_lists_every_row():
    text = history.table([("diff", 1.0, 2.0, 1.5, 0)], 1000, 10)
    assert "| diff | 1.0 | 2.0 | 1.5 | 0 |" in text and "1,000 events" in text
