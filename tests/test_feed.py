"""`coach feed`: a podcast feed of rendered sessions, as a real feed client reads it.

Sessions are rendered with the fake engine, the feed is written by the command, and
feedparser (what many podcast tools are built on) reads it back. The chapters and
transcripts it links are opened where the URL points and checked against their specs.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import feedparser
import jsonschema
import pytest
import webvtt
from click.testing import CliRunner
from PIL import Image

from coach.cli import cli
from coach.phone.address import lan_address

BASE = "http://192.0.2.10:8000/"  # an address reserved for documentation: never reached
SCHEMA = Path(__file__).parent / "schemas" / "podcast-chapters-1.2.schema.json"
SESSIONS = [
    ("at-home-glutes",),
    ("at-home-glutes", "--level", "2"),
    ("tabata",),
    ("glutes-at-home-six-weeks",),  # a program: its next session
]


def _render(runner: CliRunner, out: Path, *args: str) -> None:
    result = runner.invoke(cli, ["render", *args, "--engine", "fake", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output


def _feed(runner: CliRunner, out: Path, *extra: str) -> Any:
    result = runner.invoke(cli, ["feed", str(out), *extra])
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip())
    parsed = feedparser.parse(written.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def _local(url: str, out: Path, base: str = BASE) -> Path:
    """The file in `out` that a URL of the feed names."""
    assert url.startswith(base), url
    return out / unquote(url[len(base) :])


@pytest.fixture(scope="module")
def rendered_four(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four sessions of two routines, one at two levels, and a program's next session,
    rendered once for the module (with a cache and log of its own)."""
    out = tmp_path_factory.mktemp("four") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setenv("COACH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        for args in SESSIONS:
            _render(CliRunner(), out, *args)
    return out


@pytest.fixture
def four(rendered_four: Path, tmp_path: Path) -> Path:
    """A copy of the four rendered sessions (times kept) that a test may change."""
    return Path(shutil.copytree(rendered_four, tmp_path / "out"))


def test_a_feed_of_four_sessions_reads_back_whole(runner: CliRunner, four: Path) -> None:
    parsed = _feed(runner, four, "--base-url", BASE, "--title", "My workouts")
    assert parsed.version == "rss20"
    assert parsed.feed.title == "My workouts"
    entries = parsed.entries
    assert len(entries) == 4
    mp3s = sorted(path.name for path in four.glob("*.mp3"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    seen = []
    for entry in entries:
        (enclosure,) = entry.enclosures
        mp3 = _local(enclosure.href, four)
        seen.append(mp3.name)
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == mp3.stat().st_size
        timeline = json.loads(mp3.with_name(mp3.stem + ".timeline.json").read_text())
        assert entry.title == timeline["title"]
        assert int(entry.itunes_duration) == round(timeline["duration"])

        assert entry.podcast_chapters["type"] == "application/json+chapters"
        chapters = json.loads(_local(entry.podcast_chapters["url"], four).read_text())
        jsonschema.validate(chapters, schema)
        assert [c["title"] for c in chapters["chapters"]] == [
            c["title"] for c in timeline["chapters"]
        ]

        assert entry.podcast_transcript["type"] == "text/vtt"
        captions = webvtt.read(str(_local(entry.podcast_transcript["url"], four))).captions
        assert [c.text for c in captions] == [cue["text"] for cue in timeline["cues"]]
        assert entry.published_parsed is not None
    assert sorted(seen) == mp3s
    guids = [entry.id for entry in entries]
    assert len(set(guids)) == 4
    assert not any(guid.startswith("http") for guid in guids)
    assert all(entry.guidislink is False for entry in entries)


def test_the_feed_has_a_cover_that_players_can_fetch(runner: CliRunner, four: Path) -> None:
    parsed = _feed(runner, four, "--base-url", BASE)
    cover = _local(parsed.feed.image.href, four)
    with Image.open(cover) as image:
        assert image.format == "PNG" and image.size[0] == image.size[1] >= 600
    # A cover already there (the user's own) is kept, not drawn over.
    Image.new("RGB", (1400, 1400), (10, 20, 30)).save(cover)
    before = cover.read_bytes()
    _feed(runner, four, "--base-url", BASE)
    assert cover.read_bytes() == before


def test_guids_survive_a_rerender_and_the_new_file_is_announced(
    runner: CliRunner, four: Path
) -> None:
    first = {
        entry.enclosures[0].href: entry for entry in _feed(runner, four, "--base-url", BASE).entries
    }
    redone = four / "tabata.mp3"
    old = time.time() - 3600
    os.utime(redone, (old, old))  # so the re-render is surely later
    _render(runner, four, "tabata")
    second = {
        entry.enclosures[0].href: entry for entry in _feed(runner, four, "--base-url", BASE).entries
    }
    assert second.keys() == first.keys()
    for href, entry in second.items():
        assert entry.id == first[href].id, href
    url = BASE + "tabata.mp3"
    assert second[url].published_parsed > first[url].published_parsed


def test_a_program_is_numbered_in_its_order(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _render(runner, out, "glutes-at-home-six-weeks", "--week", "1")
    _render(runner, out, "tabata")
    entries = _feed(runner, out, "--base-url", BASE).entries
    assert len(entries) == 4
    program = [entry for entry in entries if "itunes_episode" in entry]
    assert [int(entry.itunes_episode) for entry in program] == [1, 2, 3]
    assert entries[:3] == program  # the program's episodes first, in order
    assert [e.enclosures[0].href.rsplit("/", 1)[1][:4] for e in program] == [
        "w1d1",
        "w1d2",
        "w1d3",
    ]


def test_the_default_address_is_this_machine_on_port_8000(runner: CliRunner, four: Path) -> None:
    address = lan_address()
    ipaddress.IPv4Address(address)  # a plain IPv4 address, whatever the network
    entry = _feed(runner, four).entries[0]
    assert entry.enclosures[0].href.startswith(f"http://{address}:8000/")


def test_the_feed_can_be_written_elsewhere(runner: CliRunner, four: Path, tmp_path: Path) -> None:
    target = tmp_path / "podcast.rss"
    result = runner.invoke(cli, ["feed", str(four), "--base-url", BASE, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(feedparser.parse(target.read_bytes()).entries) == 4
    assert not (four / "feed.xml").exists()


@pytest.mark.parametrize("content", ["empty", "split only", "missing"])
def test_a_folder_without_sessions_is_one_clear_message(
    runner: CliRunner, tmp_path: Path, content: str
) -> None:
    out = tmp_path / "out"
    if content == "empty":
        out.mkdir()
    elif content == "split only":
        _render(runner, out, "tabata", "--split", "exercise")
    result = runner.invoke(cli, ["feed", str(out), "--base-url", BASE])
    assert result.exit_code == 2, result.output
    assert str(out) in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert "coach render" in result.output or "no such folder" in result.output
    assert not (out / "feed.xml").exists()


@pytest.mark.parametrize("url", ["feed/", "ftp://host/x/", "http://"])
def test_a_relative_or_odd_base_url_is_refused(runner: CliRunner, four: Path, url: str) -> None:
    result = runner.invoke(cli, ["feed", str(four), "--base-url", url])
    assert result.exit_code == 2, result.output
    assert "--base-url" in result.output and "http://" in result.output
    assert not (four / "feed.xml").exists()
