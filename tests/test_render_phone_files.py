"""What phone players read from a render: lyrics in the tag, JSON chapters and a WebVTT
transcript beside the file, all equal to the `.timeline.json` the render wrote.

The references are independent readers: mutagen for the ID3 frames, a JSON schema of
the Podcasting 2.0 chapters format (tests/schemas), and webvtt-py for the transcript.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import webvtt
from click.testing import CliRunner
from test_render_support import read_id3, read_json

from coach.cli import cli

ROUTINE = "cool-down-stretch"
SCHEMA = Path(__file__).parent / "schemas" / "podcast-chapters-1.2.schema.json"


def _render(runner: CliRunner, out: Path, *extra: str) -> list[Path]:
    args = ["render", ROUTINE, "--engine", "fake", "-o", str(out), "-q", "--no-cover", *extra]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.split()]


@pytest.fixture(params=["session", "exercise"])
def rendered(request: pytest.FixtureRequest, runner: CliRunner, tmp_path: Path) -> list[Path]:
    """The MP3s of a whole-session render, or of one split by exercise."""
    return _render(runner, tmp_path, "--split", str(request.param))


def _beside(mp3: Path, suffix: str) -> Path:
    return mp3.with_name(mp3.stem + suffix)


def _timeline(mp3: Path) -> Any:
    return read_json(_beside(mp3, ".timeline.json"))


def test_the_tag_carries_the_script_as_plain_and_synchronized_lyrics(
    rendered: list[Path],
) -> None:
    assert len(rendered) >= 1
    for mp3 in rendered:
        cues = _timeline(mp3)["cues"]
        assert cues, mp3
        tag = read_id3(mp3)
        (plain,) = tag.getall("USLT")
        assert plain.text.split("\n") == [cue["text"] for cue in cues]
        (synced,) = tag.getall("SYLT")
        assert synced.format == 2  # milliseconds
        assert synced.type == 1  # lyrics
        assert [text for text, _ in synced.text] == [cue["text"] for cue in cues]
        for (_, at), cue in zip(synced.text, cues, strict=True):
            assert abs(at - cue["start"] * 1000) <= 0.5, (mp3.name, cue)


def test_split_tracks_time_their_lyrics_from_their_own_start(
    runner: CliRunner, tmp_path: Path
) -> None:
    whole = _render(runner, tmp_path / "whole")[0]
    tracks = _render(runner, tmp_path / "split", "--split", "exercise")
    assert len(tracks) > 2
    session = [(text, at) for text, at in read_id3(whole).getall("SYLT")[0].text]
    pieces = []
    offset = 0.0
    for track in tracks:
        pieces += [
            (text, at + round(offset * 1000)) for text, at in read_id3(track).getall("SYLT")[0].text
        ]
        offset += _timeline(track)["duration"]
        assert read_id3(track).getall("SYLT")[0].text[0][1] < 60_000  # not session time
    assert [text for text, _ in pieces] == [text for text, _ in session]
    for (_, at), (_, expected) in zip(pieces, session, strict=True):
        assert abs(at - expected) <= 2


def test_chapters_json_follows_the_podcasting_spec_and_the_timeline(
    rendered: list[Path],
) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for mp3 in rendered:
        document = read_json(_beside(mp3, ".chapters.json"))
        jsonschema.validate(document, schema)
        assert document["version"] == "1.2.0"
        chapters = _timeline(mp3)["chapters"]
        assert [c["title"] for c in document["chapters"]] == [c["title"] for c in chapters]
        for ours, planned in zip(document["chapters"], chapters, strict=True):
            assert abs(ours["startTime"] - planned["start"]) <= 0.0005
            assert abs(ours["endTime"] - planned["end"]) <= 0.0005
        starts = [c["startTime"] for c in document["chapters"]]
        assert starts == sorted(starts)


def test_the_chapter_schema_refuses_what_the_spec_does_not_allow() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    bad_documents: list[dict[str, Any]] = [
        {"chapters": []},
        {"version": "1.2.0", "chapters": [{"title": "no start"}]},
        {"version": "1.2.0", "chapters": [{"startTime": "10", "title": "text"}]},
        {"version": "1.2.0", "chapters": [{"start": 1.0, "startTime": 1.0}]},
    ]
    for bad in bad_documents:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_the_transcript_is_webvtt_with_one_cue_per_spoken_line(rendered: list[Path]) -> None:
    for mp3 in rendered:
        path = _beside(mp3, ".vtt")
        assert path.read_text(encoding="utf-8").startswith("WEBVTT\n")
        captions = webvtt.read(str(path)).captions
        cues = _timeline(mp3)["cues"]
        assert [html.unescape(c.text) for c in captions] == [cue["text"] for cue in cues]
        for caption, cue in zip(captions, cues, strict=True):
            assert abs(caption.start_time.in_milliseconds() - cue["start"] * 1000) <= 0.5
            assert abs(caption.end_time.in_milliseconds() - cue["end"] * 1000) <= 0.5
            assert caption.end_time.in_milliseconds() > caption.start_time.in_milliseconds()
