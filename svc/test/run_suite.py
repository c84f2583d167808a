"""`pipenv run test`: pytest with coverage, then every code file must be 80%+ covered too."""

import sys
from pathlib import Path

import coverage
import pytest

MINIMUM_PERCENT = 80.0


def under_covered(data_file: str = ".coverage") -> list[tuple[str, float]]:
    cov = coverage.Coverage(data_file=data_file)
    cov.load()
    low = []
    for path in sorted(cov.get_data().measured_files()):
        _, statements, _, missing, _ = cov.analysis2(path)
        if statements:
            percent = 100.0 * (len(statements) - len(missing)) / len(statements)
            if percent < MINIMUM_PERCENT:
                low.append((str(Path(path).relative_to(Path.cwd())), percent))
    return low


def main(args: list[str]) -> int:
    code = pytest.main(args)
    if code != 0 or args:  # a partial run says nothing about per-file coverage
        return int(code)
    low = under_covered()
    for path, percent in low:
        print(f"coverage: {path} is {percent:.0f}% covered, below {MINIMUM_PERCENT:.0f}%")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
