"""`coach render` from the command line, with the fake engine."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from mutagen.id3 import ID3
from test_render_support import RATE, decode, read_json

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
    assert len(ID3(mp3).getall("CHAP")) == len(doc["chapters"]) > 1


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
    assert not ID3(tracks[0]).getall("APIC")


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
