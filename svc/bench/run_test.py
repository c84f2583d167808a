from bench import run


def test_arguments_have_the_documented_defaults():
    args = run.parse([])
    assert (args.seconds, args.workers, args.connections) == (5.0, [1, 2], [1, 32])
    assert (args.applications, args.list_applications) == (1000, 10_000)


def test_a_tiny_smoke_run_writes_the_table(tmp_path, capsys):
    output = tmp_path / "bench.md"
    argv = ["--seconds", "1", "--workers", "1", "--connections", "2", "--applications", "5",
            "--list-applications", "20", "--log-events", "400", "--log-versions", "150", "--watchers", "3", "--python-load",
            "--output", str(output)]
    assert run.main(argv) == 0
    text = output.read_text()
    for endpoint in run.ENDPOINTS:
        assert f"| {endpoint}" in text
    assert "| GET list (20 applications) | 1 | 2 |" in text
    assert "| long-poll | 3 |" in text and "| sse | 3 |" in text and "idle long-poll watchers" in text
    assert "| diff |" in text and "`audit verify` of 400 events" in text and "(exit 0: audit verify: intact" in text
    assert "written to" in capsys.readouterr().out
