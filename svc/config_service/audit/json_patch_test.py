import copy
import random
from decimal import Decimal

from config_service import exact_json
from config_service.audit.json_patch import diff, pointer_token

KEYS = ["a", "b", "a/b", "~", "~1", "x~0/y", "", "é", "😀", "0", "-"]


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def apply_patch(document, patch: list[dict]):
    """A small RFC 6902 applier (add, remove, replace) written for these tests."""
    document = copy.deepcopy(document)
    for operation in patch:
        assert set(operation) <= {"op", "path", "value"} and operation["op"] in ("add", "remove", "replace")
        if operation["path"] == "":
            assert operation["op"] == "replace"
            document = copy.deepcopy(operation["value"])
            continue
        assert operation["path"].startswith("/")
        *parents, last = [unescape(t) for t in operation["path"][1:].split("/")]
        target = document
        for token in parents:
            target = target[int(token)] if isinstance(target, list) else target[token]
        assert isinstance(target, dict), "this patch never indexes into arrays"
        if operation["op"] == "add":
            assert last not in target
            target[last] = copy.deepcopy(operation["value"])
        elif operation["op"] == "remove":
            del target[last]
        else:
            assert last in target
            target[last] = copy.deepcopy(operation["value"])
    return document


def random_json(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.choice([0, 1, -7, 10**30, Decimal("1.5"), Decimal("1.50"), Decimal("-0.1")])
    if kind in (2, 3):
        return rng.choice(["", "x", "é", "a/b", "~0", "1"])
    if kind in (4, 5) and depth:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {rng.choice(KEYS): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def mutate(rng: random.Random, value, depth: int = 0):
    if isinstance(value, dict) and rng.random() < 0.8:
        value = dict(value)
        for key in list(value):
            roll = rng.random()
            if roll < 0.2:
                del value[key]
            elif roll < 0.6:
                value[key] = mutate(rng, value[key], depth + 1)
        for _ in range(rng.randrange(3)):
            value[rng.choice(KEYS)] = random_json(rng, depth + 1)
        return value
    return random_json(rng, depth) if rng.random() < 0.7 else value


def test_applying_the_patch_gives_the_target_for_500_random_pairs():
    for seed in range(500):
        rng = random.Random(seed)
        before = {"id": "X", "config": random_json(rng, 1)}
        after = mutate(rng, before)
        patch = diff(before, after)
        assert exact_json.same(apply_patch(before, patch), after), (seed, before, after, patch)
        assert diff(after, after) == [], seed
        assert exact_json.dumps(patch) == exact_json.dumps(diff(before, after)), seed  # deterministic


def test_rules_by_example():
    before = {"config": {"a/b": 1, "~k": [1, 2], "gone": None, "n": {"deep": "x"}}, "name": "a"}
    after = {"config": {"a/b": True, "~k": [1, 2, 3], "n": {"deep": "y", "new": 1}}, "name": "a"}
    assert diff(before, after) == [
        {"op": "replace", "path": "/config/a~1b", "value": True},
        {"op": "remove", "path": "/config/gone"},
        {"op": "replace", "path": "/config/n/deep", "value": "y"},
        {"op": "add", "path": "/config/n/new", "value": 1},
        {"op": "replace", "path": "/config/~0k", "value": [1, 2, 3]},
    ]
    assert diff({"a": {"b": 1}}, {"a": [1]}) == [{"op": "replace", "path": "/a", "value": [1]}]
    assert diff({"a": 1}, {"a": Decimal("1.0")}) == [{"op": "replace", "path": "/a", "value": Decimal("1.0")}]
    assert pointer_token("~/") == "~0~1"
