"""`coach render` from the command line, with the fake engine."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_render_support import RATE, decode, mp3_length, read_id3, read_json

from coach.cli import cli

ROUTINE = "cool-down-stretch"


def test_render_writes_a_session_with_chapters(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["render", ROUTINE, "--engine", "fake", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    mp3 = tmp_path / f"{ROUTINE}.mp3"
    assert str(mp3) in result.stdout
    assert "Encoding" not in result.output  # no progress bar without a terminal
    doc = read_json(tmp_path / f"{ROUTINE}.timeline.json")
    assert abs(decode(mp3).shape[0] / RATE - doc["duration"]) <= 0.030
    assert len(read_id3(mp3).getall("CHAP")) == len(doc["chapters"]) > 1


def test_render_exercise_split_in_parallel(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "render",
            ROUTINE,
            "--engine",
            "fake",
            "-o",
            str(tmp_path),
            "--split",
            "exercise",
            "--jobs",
            "2",
            "--no-cover",
            "--bitrate",
            "64k",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / ROUTINE
    tracks = sorted(folder.glob("*.mp3"))
    assert len(tracks) > 1 and tracks[0].name.startswith("01-")
    assert result.stdout.split() == [str(track) for track in tracks]
    playlist = (folder / f"{ROUTINE}.m3u8").read_text(encoding="utf-8")
    assert all(track.name in playlist for track in tracks)
    assert not read_id3(tracks[0]).getall("APIC")


def test_render_a_cues_file(runner: CliRunner, tmp_path: Path) -> None:
    cues = tmp_path / "mine.cues"
    compiled = runner.invoke(cli, ["compile", ROUTINE, "--no-check", "-o", str(cues)])
    assert compiled.exit_code == 0, compiled.output
    result = runner.invoke(
        cli, ["render", str(cues), "--engine", "fake", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 1


def test_bad_input_exits_2_without_writing(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for args in (
        ["--bitrate", "1000k"],
        ["--music", str(tmp_path / "nope.mp3")],
        ["--split", "chapters"],
    ):
        result = runner.invoke(cli, ["render", ROUTINE, "--engine", "fake", "-o", str(out), *args])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output
    result = runner.invoke(cli, ["render", "no-such-routine", "--engine", "fake", "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists()


SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "render_all.py"


def test_render_all_measure_mode_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--measure", "0.3", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "peak RSS" in result.stdout
    assert (tmp_path / "measure.mp3").is_file()


@pytest.mark.slow
def test_every_shipped_routine_renders(tmp_path: Path) -> None:
    import subprocess
    import sys

    from coach.routine import builtin_routines

    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--engine", "fake", "--bitrate", "32k", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    names = [path.stem for path in builtin_routines()]
    assert names
    for name in names:
        doc = read_json(tmp_path / f"{name}.timeline.json")
        length = mp3_length(tmp_path / f"{name}.mp3")
        assert abs(length - doc["duration"]) < 0.2, name


def test_a_routine_with_256_exercises_renders_every_chapter(
    runner: CliRunner, tmp_path: Path
) -> None:
    lines = ["title: Many moves", "sections:", "  - title: All", "    exercises:"]
    lines += [f"      - name: Move {n}\n        work: 3s" for n in range(1, 257)]
    routine = tmp_path / "many-moves.yaml"
    routine.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", str(routine), "--engine", "fake", "--bitrate", "32k", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = read_json(out / "many-moves.timeline.json")
    titles = [chapter["title"] for chapter in doc["chapters"]]
    assert sum(title.startswith("Move ") for title in titles) == 256
    tag = read_id3(out / "many-moves.mp3")
    starts = sorted((c.start_time, str(c.sub_frames["TIT2"])) for c in tag.getall("CHAP"))
    assert [title for _, title in starts] == titles


def _tag_titles(mp3: Path) -> tuple[str, str]:
    tag = read_id3(mp3)
    return str(tag["TIT2"]), str(tag["TALB"])


def _render(runner: CliRunner, *args: str) -> list[str]:
    result = runner.invoke(cli, ["render", *args, "--engine", "fake", "--no-cover", "-q"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_level_and_edits_show_in_the_names_and_tags(runner: CliRunner, tmp_path: Path) -> None:
    out = str(tmp_path)
    _render(runner, "at-home-glutes", "-o", out)
    level_one = (tmp_path / "at-home-glutes.mp3").read_bytes()
    _render(runner, "at-home-glutes", "--level", "2", "-o", out)
    assert (tmp_path / "at-home-glutes.mp3").read_bytes() == level_one  # not overwritten
    level_two = tmp_path / "at-home-glutes-level-2.mp3"
    assert _tag_titles(level_two) == ("Glutes at home (level 2)",) * 2
    assert _tag_titles(tmp_path / "at-home-glutes.mp3") == ("Glutes at home",) * 2

    for cues_name, expected in (("at-home-glutes.cues", "at-home-glutes-edited"), ("x.cues", "x")):
        cues = tmp_path / cues_name
        compiled = runner.invoke(cli, ["compile", "at-home-glutes", "-o", str(cues), "--no-check"])
        assert compiled.exit_code == 0, compiled.output
        text = cues.read_text(encoding="utf-8")
        assert "Take your time." in text  # a line of the routine's intro, edited by hand
        cues.write_text(text.replace("Take your time.", "Go gently."), encoding="utf-8")
        assert _render(runner, str(cues), "-o", out) == [str(tmp_path / f"{expected}.mp3")]
        assert _tag_titles(tmp_path / f"{expected}.mp3") == ("Glutes at home (edited)",) * 2
    assert (tmp_path / "at-home-glutes.mp3").read_bytes() == level_one
    doc = read_json(tmp_path / "x.timeline.json")
    assert doc["title"] == "Glutes at home (edited)"


def test_name_and_title_options(runner: CliRunner, tmp_path: Path) -> None:
    lines = _render(
        runner, ROUTINE, "-o", str(tmp_path), "--name", "Für später/../x", "--title", "Ganzkörper"
    )
    mp3 = tmp_path / "für-später-x.mp3"
    assert lines == [str(mp3)]
    assert _tag_titles(mp3) == ("Ganzkörper", "Ganzkörper")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "für-später-x.chapters.json",
        "für-später-x.lrc",
        "für-später-x.mp3",
        "für-später-x.timeline.json",
        "für-später-x.vtt",
    ]
    probe = shutil.which("ffprobe")
    if probe is None:
        pytest.skip("ffprobe not installed")
    tags = json.loads(
        subprocess.run(
            [probe, "-v", "error", "-show_entries", "format_tags", "-of", "json", str(mp3)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["format"]["tags"]
    assert tags["title"] == "Ganzkörper" and tags["album"] == "Ganzkörper"


EVIL_CUES = r"""coach-cues 1
title "Evil\u001b]0;pwned\u0007\u001b[2J"
routine "evil"
level 1

chapter "Bad\u001b[2J chapter"
window work 1.000 "Evil\u001b[31m window"
  @0.000 p80 count "This sentence is far too long to be spoken in one second\u001b[2J"
"""


def test_routine_text_reaches_the_terminal_escaped(runner: CliRunner, tmp_path: Path) -> None:
    cues = tmp_path / "evil.cues"
    cues.write_text(EVIL_CUES, encoding="utf-8")
    result = runner.invoke(cli, ["render", str(cues), "--engine", "fake", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"Bad\x1b[2J chapter" in result.output  # the warning names the chapter, escaped
    strict = runner.invoke(
        cli, ["render", str(cues), "--engine", "fake", "-o", str(tmp_path), "--strict"]
    )
    assert strict.exit_code == 2
    assert "\x1b" not in strict.output and r"second\x1b[2J" in strict.output


FIT_CUES = """coach-cues 1
title "Fit"
routine "fit"
level 1

chapter "Squat"
window work 6.000 "Squat, set 1 of 1"
  @0.000 p80 count "One"
  @0.500 p60 form "Sit back into the heels and keep the chest up." short="Chest up."
  @1.000 p80 count "Two"
  @2.000 p80 count "Three"
  @2.100 p20 form "A very long sentence that has no room anywhere in this short window at all."
  @3.000 p80 count "Four"
  @4.000 p80 count "Five"
  @5.000 p80 count "Six"
"""


def test_render_lists_what_was_dropped_and_sums_up_the_short_forms(
    runner: CliRunner, tmp_path: Path
) -> None:
    cues = tmp_path / "fit.cues"
    cues.write_text(FIT_CUES, encoding="utf-8")
    args = ["render", str(cues), "--engine", "fake", "-o", str(tmp_path / "out"), "-q"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    dropped = [line for line in lines if line.startswith("warning: ")]
    assert len(dropped) == 1 and dropped[0].endswith("; dropped"), lines
    assert "A very long sentence" in dropped[0]
    (note,) = [line for line in lines if line.startswith("note: ")]
    assert note.startswith("note: 1 line said short or moved to fit")
    assert note.endswith("; `coach compile` lists each")
    listed = runner.invoke(cli, ["compile", str(cues), "--engine", "fake"])
    assert '"Chest up."' in listed.stderr  # compile lists every decision
    strict = runner.invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 2
    assert '"Chest up."' in strict.stderr  # --strict lists every one
