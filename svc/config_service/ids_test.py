import random
import threading
import time

from ulid import ULID

from config_service.ids import encode, new_id


def test_encode_matches_python_ulid():
    values = [0, 1, 31, 32, 1023, 1024, 2**125 - 1, 2**125, 2**128 - 1, int(ULID())]
    values += [random.getrandbits(128) for _ in range(2000)]
    for value in values:
        assert encode(value) == str(ULID.from_int(value))


def test_ids_are_current_ulids_in_strictly_increasing_order():
    ids = [new_id() for _ in range(2000)]
    assert all(len(i) == 26 and str(ULID.from_str(i)) == i for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert abs(ULID.from_str(ids[-1]).timestamp - time.time()) < 5


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
