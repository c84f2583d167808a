from decimal import Decimal

import pytest

from config_service.exact_json import dumps, loads, same

EXACT = [
    "3.141592653589793238462643383279",
    "18446744073709551617.5",
    "0." + "0" * 399 + "1",
    "1" + "0" * 400,
    "-0.0",
    "9" * 4301,
    "12345678901234567890123",
]


@pytest.mark.parametrize("number", EXACT)
def test_numbers_round_trip_digit_for_digit(number):
    assert dumps(loads('{"n": %s}' % number)) == '{"n": %s}' % number


def test_exponents_are_written_out():
    assert dumps(loads("[1e3, 1.5E-3, 1E+2]")) == "[1000, 0.0015, 100]"


def test_small_integers_stay_int_and_fractions_become_decimal():
    value = loads('[1, 2.5, true, null, "x"]')
    assert value == [1, Decimal("2.5"), True, None, "x"] and type(value[0]) is int


@pytest.mark.parametrize("text", ['{"a": NaN}', "[Infinity]", "[-Infinity]"])
def test_nan_and_infinity_are_refused(text):
    with pytest.raises(ValueError):
        loads(text)


def test_dumps_keeps_unicode_and_escapes_what_json_needs():
    assert dumps({"é": ['"\\\n', Decimal("1.50"), 2, 1.5, False, None, ()]}) == '{"é": ["\\"\\\\\\n", 1.50, 2, 1.5, false, null, []]}'


@pytest.mark.parametrize("bad", [Decimal("NaN"), object()])
def test_dumps_refuses_what_is_not_json(bad):
    with pytest.raises((ValueError, TypeError)):
        dumps([Decimal("1.5"), bad])


@pytest.mark.parametrize(
    "a, b, equal",
    [
        (1, True, False),
        (0, False, False),
        (None, None, True),
        (1, Decimal("1.0"), False),
        (Decimal("1.5"), Decimal("1.5"), True),
        ({"a": [1, "x"]}, {"a": [1, "x"]}, True),
        ({"a": 1}, {"b": 1}, False),
        ([1], [1, 2], False),
        ("1", 1, False),
    ],
)
def test_same_compares_type_and_spelling(a, b, equal):
    assert same(a, b) is equal
