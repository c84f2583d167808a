from decimal import Decimal

import pytest

from config_service.json_rules import MAX_DEPTH, unstorable_json_reason, unstorable_text_reason


def test_ordinary_text_and_json_are_storable():
    assert unstorable_text_reason("héllo 😀 \u2028") is None
    assert unstorable_json_reason({"a": [1, 2.5, None, True, {"b": "c"}], "d": 10**30}) is None
    assert unstorable_json_reason({"a": [Decimal("1E+400"), Decimal("1E-400"), Decimal("9" * 5000)]}) is None


@pytest.mark.parametrize("text, word", [("a\x00b", "NUL"), ("\ud800", "surrogates"), ("x\udfff", "surrogates")])
def test_unstorable_text(text, word):
    assert word in unstorable_text_reason(text)


@pytest.mark.parametrize(
    "value",
    [
        {"a": float("nan")},
        {"a": [1, float("inf")]},
        {"a": {"b": -float("inf")}},
        {"a": Decimal("NaN")},
        {"a": Decimal("1E+131072")},
        {"a": Decimal("1E-16384")},
        {"k\x00": 1},
        {"a": ["\ud83d"]},
    ],
)
def test_unstorable_json_anywhere_in_the_tree(value):
    assert unstorable_json_reason(value) is not None


def nested(depth: int):
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_depth_is_limited():
    assert unstorable_json_reason({"a": nested(MAX_DEPTH - 1)}) is None
    assert "nested" in unstorable_json_reason({"a": nested(MAX_DEPTH)})
