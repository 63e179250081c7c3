"""Rendered MP3s, decoded by ffmpeg, are exact in length and onsets, tagged, and complete."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_render_support import (
    RATE,
    decode,
    loudness,
    make_timeline,
    onset,
    read_id3,
    read_json,
)

from coach.errors import InputError
from coach.render.render import render_timeline

needs_ffprobe = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffprobe not installed")


@pytest.fixture(scope="module")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("session")
    render_timeline(make_timeline(), out)
    return out


@pytest.fixture(scope="module")
def exercise_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exercise")
    render_timeline(make_timeline(), out, split="exercise", jobs=2)
    return out


def test_session_mode_writes_the_mp3_and_its_sidecars(session_dir: Path) -> None:
    names = sorted(path.name for path in session_dir.iterdir())
    assert names == [
        "morning-test.chapters.json",
        "morning-test.lrc",
        "morning-test.mp3",
        "morning-test.timeline.json",
        "morning-test.vtt",
    ]


def test_session_decodes_to_the_timeline_length_with_cues_on_time(session_dir: Path) -> None:
    timeline = make_timeline()
    audio = decode(session_dir / "morning-test.mp3")
    assert abs(audio.shape[0] - timeline.length) <= 0.030 * RATE
    doc = read_json(session_dir / "morning-test.timeline.json")
    assert abs(doc["duration"] - audio.shape[0] / RATE) <= 0.030
    assert len(doc["cues"]) == len(timeline.cues)
    for cue in doc["cues"]:
        start = round(cue["start"] * RATE)
        assert abs(onset(audio, start) - start) <= 0.020 * RATE, cue


def test_timeline_json_has_the_documented_shape(session_dir: Path) -> None:
    doc = read_json(session_dir / "morning-test.timeline.json")
    assert doc["format"] == "coach-timeline"
    assert doc["version"] == 1
    assert doc["sample_rate"] == RATE
    assert set(doc["cues"][0]) >= {"start", "end", "text", "kind", "chapter"}
    assert [c["title"] for c in doc["chapters"]] == ["Exercise 1", "Exercise 2", "Exercise 3"]
    assert {c["chapter"] for c in doc["cues"]} == {0, 1, 2}
    assert all(isinstance(c["start"], float) for c in doc["cues"])


def test_lrc_lists_every_cue_at_its_time(session_dir: Path) -> None:
    timeline = make_timeline()
    lines = (session_dir / "morning-test.lrc").read_text(encoding="utf-8").splitlines()
    spoken = [line for line in lines if line.startswith("[0") and not line.endswith("]")]
    assert len(spoken) == len(timeline.cues)
    first = timeline.cues[0]
    seconds = first.start / RATE
    assert spoken[0] == f"[00:{seconds:05.2f}]{first.text}"


def test_session_tags_and_chapters_by_mutagen(session_dir: Path) -> None:
    tag = read_id3(session_dir / "morning-test.mp3")
    assert str(tag["TIT2"]) == "Morning Test"
    assert str(tag["TALB"]) == "Morning Test"
    assert str(tag["TPE1"]) == "coach"
    assert str(tag["TRCK"]) == "1/1"
    assert str(tag["TCON"]) == "Fitness"
    cover = tag.getall("APIC")[0]
    assert cover.mime == "image/png" and cover.data.startswith(b"\x89PNG")
    toc = tag.getall("CTOC")[0]
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    chapters = sorted(tag.getall("CHAP"), key=lambda chap: chap.start_time)
    timeline = make_timeline()
    assert [str(chap.sub_frames["TIT2"]) for chap in chapters] == [
        "Exercise 1",
        "Exercise 2",
        "Exercise 3",
    ]
    assert chapters[0].start_time == 0
    assert chapters[1].start_time == timeline.chapters[1].start * 1000 // RATE
    assert chapters[-1].end_time == timeline.length * 1000 // RATE


@needs_ffprobe
def test_ffprobe_sees_chapters_and_tags(session_dir: Path) -> None:
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_chapters",
            "-show_format",
            "-of",
            "json",
            str(session_dir / "morning-test.mp3"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import json

    probe = json.loads(out)
    assert [c["tags"]["title"] for c in probe["chapters"]] == [
        "Exercise 1",
        "Exercise 2",
        "Exercise 3",
    ]
    tags = probe["format"]["tags"]
    assert tags["album"] == "Morning Test" and tags["artist"] == "coach"
    assert tags["track"] == "1/1"


def test_exercise_mode_writes_numbered_tracks_and_a_playlist(exercise_dir: Path) -> None:
    folder = exercise_dir / "morning-test"
    assert [p.name for p in exercise_dir.iterdir()] == ["morning-test"]
    mp3s = sorted(p.name for p in folder.glob("*.mp3"))
    assert mp3s == ["01-exercise-1.mp3", "02-exercise-2.mp3", "03-exercise-3.mp3"]
    for name in mp3s:
        stem = name[:-4]
        assert (folder / f"{stem}.lrc").is_file()
        assert (folder / f"{stem}.timeline.json").is_file()
    playlist = (folder / "morning-test.m3u8").read_text(encoding="utf-8").splitlines()
    assert playlist[0] == "#EXTM3U"
    assert [line for line in playlist if not line.startswith("#")] == mp3s
    assert playlist[1].startswith("#EXTINF:") and playlist[1].endswith(",Exercise 1")


def test_exercise_tracks_are_exact_and_add_up_to_the_session(exercise_dir: Path) -> None:
    timeline = make_timeline()
    folder = exercise_dir / "morning-test"
    total = 0
    for number, path in enumerate(sorted(folder.glob("*.mp3")), start=1):
        audio = decode(path)
        doc = read_json(path.with_name(path.stem + ".timeline.json"))
        assert abs(audio.shape[0] / RATE - doc["duration"]) <= 0.030
        for cue in doc["cues"]:
            start = round(cue["start"] * RATE)
            assert abs(onset(audio, start) - start) <= 0.020 * RATE
        total += audio.shape[0]
        tag = read_id3(path)
        assert str(tag["TRCK"]) == f"{number}/3"
        assert str(tag["TIT2"]) == f"Exercise {number}"
        assert str(tag["TALB"]) == "Morning Test"
        assert not tag.getall("CHAP")
    assert abs(total - timeline.length) <= 0.030 * RATE


def test_loudness_is_near_minus_16_lufs(session_dir: Path) -> None:
    assert loudness(session_dir / "morning-test.mp3") == pytest.approx(-16.0, abs=1.0)


def test_no_cover_leaves_out_the_picture(tmp_path: Path) -> None:
    render_timeline(make_timeline(chapters=1), tmp_path, cover=False)
    assert not read_id3(tmp_path / "morning-test.mp3").getall("APIC")


def test_bad_options_are_input_errors(tmp_path: Path) -> None:
    timeline = make_timeline(chapters=1)
    with pytest.raises(InputError, match="bitrate"):
        render_timeline(timeline, tmp_path, bitrate="97k")
    with pytest.raises(InputError, match="split"):
        render_timeline(timeline, tmp_path, split="bananas")
    with pytest.raises(InputError, match="music file not found"):
        render_timeline(timeline, tmp_path, music=tmp_path / "missing.mp3")
    assert list(tmp_path.iterdir()) == []


def test_hostile_titles_make_safe_names(tmp_path: Path) -> None:
    out = tmp_path / "out"
    timeline = make_timeline(
        chapters=2,
        cues_per_chapter=1,
        title="../../etc/passwd",
        routine="",
        chapter_titles=["..", "a/b\\c\x00\x1b[2J" + "x" * 300],
    )
    render_timeline(timeline, out, split="exercise")
    assert [p.name for p in out.iterdir()] == ["etc-passwd"]
    names = sorted(p.name for p in (out / "etc-passwd").iterdir())
    assert "01-chapter.mp3" in names
    long = [n for n in names if n.startswith("02-") and n.endswith(".mp3")]
    assert len(long) == 1 and len(long[0].encode()) <= 80
    assert all("/" not in n and "\\" not in n and "\x00" not in n for n in names)
    assert not list(tmp_path.glob("**/passwd*"))


def test_tracks_sharing_one_encoder_match_tracks_encoded_alone(
    exercise_dir: Path, tmp_path: Path
) -> None:
    # jobs=1 sends all three tracks through one ffmpeg; the fixture (jobs=2) splits them
    # into two processes, one of which encodes a single track on its own.
    render_timeline(make_timeline(), tmp_path, split="exercise", jobs=1)
    for path in sorted((exercise_dir / "morning-test").glob("*.mp3")):
        alone = decode(path)
        shared = decode(tmp_path / "morning-test" / path.name)
        assert alone.shape == shared.shape
        assert np.array_equal(alone, shared)
