"""Chapters in a rendered MP3 appear in time order to every reader."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from coach.render import find_ffmpeg
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
    subprocess.run(
        [
            find_ffmpeg(),
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=22050:cl=mono",
            "-t",
            str(len(TITLES)),
            "-c:a",
            "libmp3lame",
            "-b:a",
            "32k",
            str(path),
        ],
        check=True,
    )
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
    tag = ID3(tagged_mp3)
    assert str(tag["TIT2"]) == "Test"
    chapters = tag.getall("CHAP")
    assert sorted(str(c.sub_frames["TIT2"]) for c in chapters) == sorted(TITLES)
    toc = tag.getall("CTOC")[0]
    assert list(toc.child_element_ids) == [f"chp{i}" for i in range(len(TITLES))]
