"""Every kind of mistake in tests/malformed/ gets one located, helpful line and exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli

MALFORMED = Path(__file__).parent / "malformed"
# Files that cannot carry an `# expect:` header comment.
EXPECT = {
    "empty.yaml": "1:1 file is empty",
    "not-utf8.yaml": "3:14 not valid UTF-8 (byte 0xe9)",
}
FILES = sorted(MALFORMED.glob("*.yaml"))


def expectation(path: Path) -> tuple[int, int, str]:
    text = EXPECT.get(path.name)
    if text is None:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# expect: "), f"{path.name} has no expectation"
        text = first.removeprefix("# expect: ")
    where, words = text.split(" ", 1)
    line, column = where.split(":")
    return int(line), int(column), words


def test_there_are_enough_kinds_of_mistake() -> None:
    assert len(FILES) >= 25


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_malformed_routine_gets_a_located_error(
    path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(MALFORMED)
    line, column, words = expectation(path)
    result = runner.invoke(cli, ["validate", path.name])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output + result.stderr
    assert result.stdout == ""
    problems = result.stderr.splitlines()
    assert problems
    for problem in problems:
        assert re.match(rf"{re.escape(path.name)}:\d+:\d+: \S", problem), problem
    prefix = f"{path.name}:{line}:{column}: "
    assert any(p.startswith(prefix) and words in p for p in problems), "\n".join(problems)
