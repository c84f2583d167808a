from bench.load import Result
from bench.report import table


def test_table_has_ratios_against_the_ceiling():
    rows = [
        ("GET application", 1, 32, Result(2000.0, 10.0, 20.0, 0, "wrk")),
        ("GET list (10 applications)", 2, 1, Result(100.0, 1.0, 2.0, 3, "python")),
        ("PUT configuration", 1, 1, Result(50.0, 1.0, 2.0, 0, "wrk")),
    ]
    text = table(rows, {"GET application": 4000.0, "GET list": 200.0}).splitlines()
    assert text[0].startswith("| endpoint | workers | connections | req/s")
    assert text[2] == "| GET application | 1 | 32 | 2,000 | 10.0 | 20.0 | 0 | 4,000 | 0.50 |"
    assert text[3].endswith("| 3 | 200 | 0.50 |")
    assert text[4].endswith("| – | – |")
