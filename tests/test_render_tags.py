"""Chapters in a rendered MP3 appear in time order to every reader."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from mutagen.id3 import CTOCFlags
from test_render_support import lavfi_mp3, read_id3

from coach.audio.ffmpeg import find_ffmpeg
from coach.render.tags import ChapterMark, TrackTags, write_tags

TITLES = [
    "Intro",
    "Jumping jacks",
    "Wall sit",
    "Push-ups",
    "Abdominal crunches",
    "Step-ups",
    "Squats",
    "Triceps dips on a chair",
    "Plank",
    "High knees",
    "Lunges",
    "Finish",
]


@pytest.fixture
def tagged_mp3(tmp_path: Path) -> Path:
    path = tmp_path / "x.mp3"
    lavfi_mp3(path, "anullsrc=r=22050:cl=mono", "32k", "-t", str(len(TITLES)))
    marks = [ChapterMark(title, i * 1000, (i + 1) * 1000) for i, title in enumerate(TITLES)]
    write_tags(path, TrackTags("Test", "Test", 1, 1, chapters=marks))
    return path


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed")
def test_ffprobe_lists_chapters_in_time_order(tagged_mp3: Path) -> None:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(tagged_mp3)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chapters = json.loads(probe)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == TITLES
    assert [float(c["start_time"]) for c in chapters] == [float(i) for i in range(len(TITLES))]


def test_the_tag_still_reads_whole_after_reordering(tagged_mp3: Path) -> None:
    tag = read_id3(tagged_mp3)
    assert str(tag["TIT2"]) == "Test"
    chapters = tag.getall("CHAP")
    assert sorted(str(c.sub_frames["TIT2"]) for c in chapters) == sorted(TITLES)
    toc = tag.getall("CTOC")[0]
    assert list(toc.child_element_ids) == [f"chp{i}" for i in range(len(TITLES))]


def _silent_mp3(path: Path, seconds: float) -> Path:
    source = ["-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", str(seconds)]
    encode = ["-c:a", "libmp3lame", "-b:a", "32k", str(path)]
    subprocess.run([find_ffmpeg(), "-v", "error", *source, *encode], check=True)
    return path


def _toc_order(tag: Any) -> list[str]:
    """The chapter ids reached from the top-level CTOC, depth first, as a player walks them."""
    tables = {frame.element_id: frame for frame in tag.getall("CTOC")}
    (top,) = [frame for frame in tables.values() if frame.flags & CTOCFlags.TOP_LEVEL]

    def walk(element_id: str) -> list[str]:
        if element_id not in tables:
            return [element_id]
        table = tables[element_id]
        assert len(table.child_element_ids) <= 255
        return [leaf for child in table.child_element_ids for leaf in walk(child)]

    return walk(top.element_id)


@pytest.mark.parametrize("count", [255, 256, 1000])
def test_a_thousand_chapters_read_back_in_time_order(tmp_path: Path, count: int) -> None:
    path = _silent_mp3(tmp_path / "long.mp3", count * 0.02 + 0.5)
    titles = [f"Move {number}" for number in range(1, count + 1)]
    marks = [ChapterMark(t, i * 20, (i + 1) * 20) for i, t in enumerate(titles)]
    write_tags(path, TrackTags("Long", "Long", 1, 1, chapters=marks))

    tag = read_id3(path)
    chapters = {frame.element_id: frame for frame in tag.getall("CHAP")}
    order = _toc_order(tag)
    assert sorted(order) == sorted(chapters) and len(order) == count
    assert [str(chapters[i].sub_frames["TIT2"]) for i in order] == titles
    assert [chapters[i].start_time for i in order] == [i * 20 for i in range(count)]

    if shutil.which("ffprobe") is None:
        pytest.skip("ffprobe not installed")
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(probe)["chapters"]
    assert [c["tags"]["title"] for c in found] == titles
    assert [round(float(c["start_time"]) * 1000) for c in found] == [i * 20 for i in range(count)]
