"""Safe file names, and finding ffmpeg."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.audio.ffmpeg import find_ffmpeg
from coach.errors import CoachError
from coach.render.names import slugify


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Morning Mobility!", "morning-mobility"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("..", "session"),
        ("", "session"),
        ("\x00\x07\x1b", "session"),
        ("CON", "con-"),
        ("Утренняя зарядка", "утренняя-зарядка"),
        ("Day 1: Legs & Glutes", "day-1-legs-glutes"),
    ],
)
def test_slugify_examples(title: str, expected: str) -> None:
    assert slugify(title) == expected


@given(st.text())
def test_any_title_gives_a_safe_name(title: str) -> None:
    name = slugify(title)
    assert name and name not in {".", ".."}
    assert "/" not in name and "\\" not in name and "." not in name
    assert all(ord(ch) >= 32 and ch not in '<>:"|?*' for ch in name)
    assert len(name.encode("utf-8")) <= 60


@pytest.fixture
def fresh_lookup() -> Iterator[None]:
    find_ffmpeg.cache_clear()
    yield
    find_ffmpeg.cache_clear()


def test_system_ffmpeg_is_preferred(fresh_lookup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COACH_FFMPEG", raising=False)
    if shutil.which("ffmpeg") is None:
        pytest.skip("no system ffmpeg")
    assert find_ffmpeg() == shutil.which("ffmpeg")


def test_bundled_ffmpeg_when_none_on_path(
    fresh_lookup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACH_FFMPEG", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    import imageio_ffmpeg

    assert find_ffmpeg() == imageio_ffmpeg.get_ffmpeg_exe()


def test_no_ffmpeg_at_all_says_how_to_install(
    fresh_lookup: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACH_FFMPEG", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    import imageio_ffmpeg

    def missing() -> str:
        raise RuntimeError("no binary")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", missing)
    with pytest.raises(CoachError, match="apt install ffmpeg"):
        find_ffmpeg()


def test_coach_ffmpeg_must_exist(fresh_lookup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_FFMPEG", "/nonexistent/ffmpeg")
    with pytest.raises(CoachError, match="COACH_FFMPEG"):
        find_ffmpeg()
