"""The phone page in a real browser: headless Chromium against a live `coach serve`.

The browser is driven over the DevTools protocol (tests/devtools.py). What the page
shows is compared with the timelines `coach render` wrote: the sessions' titles in
order, the cue whose time span holds the audio's current time, the chapters.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from devtools import Chromium, Page, chromium_path
from serve_support import render_sessions, timeline

REPO = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        chromium_path() is None, reason="no Chromium: install the Debian package chromium"
    ),
]

CUE = "document.getElementById('cue')"
AUDIO = "document.getElementById('player')"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("page")
    render_sessions(base / "out", base)  # tabata, then cool-down-stretch (the newest)
    return base / "out"


@pytest.fixture(scope="module")
def server(folder: Path) -> Iterator[str]:
    """The base URL of a live `coach serve` on a free loopback port."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [sys.executable, "-m", "coach", "serve", str(folder), "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*args, "--port", "0", "--no-qr"], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        assert process.stdout is not None
        page = ""
        for line in process.stdout:
            found = re.search(r"page: (http://\S+)/", line)
            if found:
                page = found.group(1)
                break
        assert page, "coach serve printed no address"
        yield page
    finally:
        process.terminate()
        process.communicate(timeout=20)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    with Chromium(tmp_path / "profile") as running:
        yield running


def _open(browser: Chromium, url: str) -> Page:
    page = browser.open(url)
    page.wait_for("document.body && document.body.dataset.ready === 'true'")
    page.wait_for(f"{AUDIO}.readyState >= 1 && Number(document.body.dataset.cues) > 0")
    return page


def _set_time(page: Page, seconds: float) -> None:
    page.evaluate(f"{AUDIO}.currentTime = {seconds!r}")


def _middle(cue: dict[str, Any]) -> float:
    return float((cue["start"] + cue["end"]) / 2)


def test_the_page_lists_the_sessions_newest_first(
    browser: Chromium, server: str, folder: Path
) -> None:
    page = _open(browser, server + "/")
    titles = page.evaluate(
        "[...document.querySelectorAll('#sessions li .title')].map(e => e.textContent)"
    )
    assert titles == [timeline(folder, name)["title"] for name in ("cool-down-stretch", "tabata")]
    # nothing was fetched from anywhere but the server
    fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched and all(url.startswith(server + "/") for url in fetched)


def test_the_cue_shown_is_the_one_spoken_at_the_audios_current_time(
    browser: Chromium, server: str, folder: Path
) -> None:
    page = _open(browser, server + "/")
    assert page.evaluate(f"{AUDIO}.dataset.session") == "0"  # the first listed
    cues = timeline(folder, "cool-down-stretch")["cues"]
    for cue in (cues[1], cues[len(cues) // 2], cues[-1]):
        _set_time(page, _middle(cue))
        shown = page.wait_for(
            f"{CUE}.className === 'speaking' && {CUE}.textContent === {json.dumps(cue['text'])}"
            f" && {CUE}.textContent",
            timeout=10,
        )
        assert shown == cue["text"]
    # between two cues the last one stays, marked as said
    gap = next(b for a, b in itertools.pairwise(cues) if b["start"] - a["end"] > 0.5)
    before = cues[cues.index(gap) - 1]
    _set_time(page, (before["end"] + gap["start"]) / 2)
    page.wait_for(
        f"{CUE}.className === 'said' && {CUE}.textContent === {json.dumps(before['text'])}"
    )


def test_a_chapter_button_seeks_to_its_start_and_media_session_knows_the_session(
    browser: Chromium, server: str, folder: Path
) -> None:
    page = _open(browser, server + "/?session=1")  # tabata
    chapters = timeline(folder, "tabata")["chapters"]
    labels = page.evaluate("[...document.querySelectorAll('#chapters button')].length")
    assert labels == len(chapters)
    page.evaluate("document.querySelectorAll('#chapters button')[3].click()")
    page.wait_for(f"Math.abs({AUDIO}.currentTime - {chapters[3]['start']}) < 0.01")
    assert chapters[3]["title"] in page.evaluate("document.getElementById('chapter').textContent")
    title = page.evaluate("navigator.mediaSession.metadata.title")
    assert title == timeline(folder, "tabata")["title"]


def test_a_query_opens_a_session_at_a_time_and_playing_moves_the_cue_on(
    browser: Chromium, server: str, folder: Path
) -> None:
    cues = timeline(folder, "tabata")["cues"]
    cue = cues[len(cues) // 3]
    page = _open(browser, f"{server}/?session=1&t={_middle(cue)}")
    page.wait_for(f"{CUE}.textContent === {json.dumps(cue['text'])}")
    start = page.evaluate(f"{AUDIO}.currentTime")
    page.evaluate(f"{AUDIO}.play()")
    page.wait_for(f"!{AUDIO}.paused && {AUDIO}.currentTime > {start + 0.5}", timeout=20)
    following = next(c for c in cues if c["start"] > cue["end"])
    _set_time(page, _middle(following))
    page.wait_for(f"{CUE}.textContent === {json.dumps(following['text'])}")
