"""A render that fails or is interrupted leaves nothing partial and touches nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_render_support import make_timeline

import coach.render.render as render_module
from coach.errors import CoachError
from coach.render.render import render_timeline
from coach.render.tags import write_tags


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _prepare(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    (folder / "morning-test.mp3").write_bytes(b"an earlier render")
    return _snapshot(folder)


def test_a_failing_track_leaves_no_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    before = _prepare(out)
    calls: list[Path] = []

    def flaky(path: Path, tags: object) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise CoachError("disk full (simulated)")
        write_tags(path, tags)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "write_tags", flaky)
    with pytest.raises(CoachError, match="simulated"):
        render_timeline(make_timeline(), out, split="exercise", jobs=2)
    assert _snapshot(out) == before
    assert not (out / "morning-test").exists()  # the folder it created is gone again
    assert calls and not any(path.exists() for path in calls)


def test_ctrl_c_mid_encode_keeps_the_earlier_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _prepare(out)
    seen = 0

    def interrupt(frames: int) -> None:
        nonlocal seen
        seen += frames
        if seen > 40_000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_timeline(make_timeline(), out, progress=interrupt)
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["morning-test.mp3", "notes.txt"]


def test_a_success_replaces_only_its_own_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _prepare(out)
    render_timeline(make_timeline(), out)
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / "morning-test.mp3").read_bytes() != b"an earlier render"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_an_unwritable_destination_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder\n")
    with pytest.raises(CoachError, match="cannot write"):
        render_timeline(make_timeline(chapters=1), blocker / "out")
    assert blocker.read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_ctrl_c_while_tracks_share_an_encoder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _prepare(out)
    seen = 0

    def interrupt(frames: int) -> None:
        nonlocal seen
        seen += frames
        if seen > 100_000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_timeline(make_timeline(), out, split="exercise", progress=interrupt)
    assert _snapshot(out) == before
    assert not (out / "morning-test").exists()
