import threading

from ulid import ULID

from config_service.ids import new_id


def test_ids_are_ulids_in_strictly_increasing_order():
    ids = [new_id() for _ in range(2000)]
    assert all(len(i) == 26 and str(ULID.from_str(i)) == i for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_are_unique_across_threads():
    found: list[str] = []

    def make() -> None:
        found.extend(new_id() for _ in range(500))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 2000
