"""`coach show` measures the compiled script: within 2 % of what the default voice makes.

The reference is independent of the plan: the resolver placing every clip of the
real default voice (the length of the rendered file, sample for sample), and once
ffprobe reading a rendered MP3 back. The clip cache the voice fills is the one
`coach show` reads, as it would be after a user's first render.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.cli import cli
from coach.compiler import compile_routine
from coach.resolve import resolve
from coach.routine import builtin_routines, load_routine
from coach.speech.cache import CachedVoice
from coach.speech.engines import create_engine

ROUTINES = [path.stem for path in builtin_routines()]


def shown_seconds(runner: CliRunner, *args: str) -> float:
    result = runner.invoke(cli, ["show", *args, "--json"])
    assert result.exit_code == 0, result.output
    seconds: float = json.loads(result.stdout)["estimated_seconds"]
    return seconds


@pytest.mark.slow
@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("name", ROUTINES)
def test_show_is_within_two_percent_of_the_resolved_session(
    runner: CliRunner, name: str, level: int
) -> None:
    voice = CachedVoice(create_engine("pyttsx3"))
    length = resolve(compile_routine(load_routine(name), level), voice).duration
    assert shown_seconds(runner, name, "--level", str(level)) == pytest.approx(length, rel=0.02)


@pytest.mark.slow
@pytest.mark.timeout(300)
# the neural voice synthesizes a session in minutes on two cores: one routine of it
@pytest.mark.parametrize(("engine", "names"), [("pyttsx3", ROUTINES), ("piper", ["tabata"])])
def test_show_on_an_empty_cache_is_within_two_percent_of_each_voice(
    runner: CliRunner,
    engine: str,
    names: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before any render, `coach show` has no clip to measure and guesses every line
    from its text; that guess holds for both voices (every shipped routine with espeak,
    both levels; measured by hand, piper is within 0.6 % on all of them too)."""
    if engine == "piper":
        pytest.importorskip("piper", reason="the neural voice is not installed")
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "voice-cache"))
    voice = CachedVoice(create_engine(engine))
    lengths = {
        (name, level): resolve(compile_routine(load_routine(name), level), voice).duration
        for name in names
        for level in (1, 2)
    }
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "empty"))
    for (name, level), length in lengths.items():
        shown = shown_seconds(runner, name, "--level", str(level))
        assert shown == pytest.approx(length, rel=0.02), (name, level)


@pytest.mark.slow
def test_show_of_a_routine_and_of_its_cues_agree_with_the_rendered_mp3(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["render", "tabata", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (mp3,) = tmp_path.glob("*.mp3")
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", mp3],
        capture_output=True,
        text=True,
        check=True,
    )
    rendered = float(probe.stdout)
    cues = tmp_path / "tabata.cues"
    compiled = runner.invoke(cli, ["compile", "tabata", "-o", str(cues)])
    assert compiled.exit_code == 0, compiled.output
    assert shown_seconds(runner, "tabata") == pytest.approx(rendered, rel=0.02)
    assert shown_seconds(runner, str(cues)) == pytest.approx(rendered, rel=0.02)


def test_rest_zero_between_sets_counts_the_compilers_prepare_windows(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Two sets with `rest: 0` and a 3 s count-down: the compiler puts a prepare window
    before each set, 8 s before the first (5 s to get into position, then the count-down)
    and 5 s before the second (the old plan counted 3 s once); show counts what it made."""
    routine = tmp_path / "r.yaml"
    routine.write_text(
        "title: R\nsettings: {countdown: 3}\n"
        "exercises:\n  - {name: Plank, sets: 2, work: 30s, rest: 0}\n"
    )
    cues = tmp_path / "r.cues"
    compiled = runner.invoke(cli, ["compile", str(routine), "-o", str(cues)])
    assert compiled.exit_code == 0, compiled.output
    windows = [line.split()[1:3] for line in cues.read_text().splitlines() if "window " in line]
    first, second = ["prepare", "8.000"], ["prepare", "5.000"]
    assert windows == [first, ["work", "30.000"], second, ["work", "30.000"]]
    result = runner.invoke(cli, ["show", str(routine), "--json"])
    (exercise,) = json.loads(result.stdout)["sections"][0]["exercises"]
    assert exercise["estimated_seconds"] >= 8 + 30 + 5 + 30
