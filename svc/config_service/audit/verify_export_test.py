from decimal import Decimal

import pytest

from config_service.audit import verify_export
from config_service.audit.verify_export import Broken, jsonb_text


def test_jsonb_text_is_postgresqls_own_spelling():
    # Checked against PostgreSQL 16: SELECT '<value>'::jsonb::text
    assert jsonb_text({"bb": 1, "a": [True, None], "é": "", "ab": {}}) == '{"a": [true, null], "ab": {}, "bb": 1, "é": ""}'
    assert jsonb_text([Decimal("1.50"), Decimal("0.0000001"), Decimal("-0.0"), 12345678901234567890]) == (
        "[1.50, 0.0000001, 0.0, 12345678901234567890]")
    assert jsonb_text('q " b \\ n \n t \t \u0001 é 東京 \u2028') == '"q \\" b \\\\ n \\n t \\t \\u0001 é 東京 \u2028"'
    with pytest.raises(TypeError):
        jsonb_text(object())


def test_a_file_without_its_header_or_closing_line_is_broken():
    with pytest.raises(Broken, match="line 1: the first line is not the export's header"):
        verify_export.verify(['{"seq": 1}\n'])
    with pytest.raises(Broken, match="truncated"):
        verify_export.verify(['{"export": {}}\n'])
    with pytest.raises(Broken, match="line 2: not JSON"):
        verify_export.verify(['{"export": {}}\n', "[\n"])
    with pytest.raises(Broken, match="not a JSON object"):
        verify_export.verify(['{"export": {}}\n', "[]\n"])
    with pytest.raises(Broken, match="not an event: seq"):
        verify_export.verify(['{"export": {}}\n', '{"id": 1}\n'])


def test_an_empty_export_verifies():
    empty = verify_export.heads_digest({})
    lines = ['{"export": {}}\n', '{"closing": {"events": 0, "heads": "%s", "checkpoint": "0.%s"}}\n' % (empty, empty)]
    assert verify_export.verify(lines) == f"intact: 0 events up to seq 0, checkpoint 0.{empty[:22]}..."
    with pytest.raises(Broken, match="after the closing line"):
        verify_export.verify(lines + ['{"export": {}}\n'])
    with pytest.raises(ValueError, match="not a checkpoint"):
        verify_export.verify(lines, "12-abc")
