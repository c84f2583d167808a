"""The benchmark's Markdown table."""

from bench.load import Result


def table(rows: list[tuple[str, int, int, Result]], ceilings: dict[str, float]) -> str:
    """One line per (endpoint, workers, connections), with the pgbench ceiling ratio."""
    lines = [
        "| endpoint | workers | connections | req/s | p50 ms | p99 ms | errors | pgbench tps | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for endpoint, workers, connections, result in rows:
        ceiling = ceilings.get(endpoint.split(" (")[0])
        ratio = f"{result.requests_per_second / ceiling:.2f}" if ceiling else "–"
        ceiling_text = f"{ceiling:,.0f}" if ceiling else "–"
        lines.append(
            f"| {endpoint} | {workers} | {connections} | {result.requests_per_second:,.0f} | "
            f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | {ceiling_text} | {ratio} |"
        )
    return "\n".join(lines)
