"""The `windows` of *.timeline.json, for every shipped routine at levels 1 and 2.

Each is checked against independent references: the cue script's own steps (a
window starts at the sum of the sample lengths before it: clips plus gaps plus
windows), the routine as `coach show --json` reports it (set, sets, side, round,
reps, work, hold, to-failure, in the order a coach performs them), and the counts
actually said (the k-th count of a set falls inside rep k, whose start is on the
tempo).
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coach.audio.clip import SAMPLE_RATE
from coach.cli import cli
from coach.compiler import compile_routine
from coach.cues.model import CueScript, Say, Window
from coach.render.render import plan_tracks, track_info
from coach.render.sidecars import timeline_json
from coach.resolve import resolve
from coach.routine import builtin_routines, load_routine
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice

RATE = SAMPLE_RATE
NAMES = [path.stem for path in builtin_routines()]
KEYS = {"kind", "start", "end", "chapter", "exercise", "set", "sets", "side", "round"}
KEYS |= {"rounds", "reps", "work", "hold", "to_failure", "rep_starts", "label", "alternate"}


def _session_document(script: CueScript, tmp: Path) -> dict[str, Any]:
    timeline = resolve(script, MemoryVoice(FakeEngine()))
    assert timeline.warnings == []
    (track,) = plan_tracks(timeline, tmp, "session")
    return dict(json.loads(timeline_json(track_info(timeline, track))))


def _shown(name: str, level: int) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["show", name, "--level", str(level), "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def _window_positions(script: CueScript) -> list[tuple[int, int]]:
    """(start, end) in samples of every window, walking the script's step lengths."""
    voice = MemoryVoice(FakeEngine())
    position = 0
    spans = []
    for step in script.steps:
        if isinstance(step, Say):
            position += voice.clip(step.text).frames + round(step.gap * RATE)
        elif isinstance(step, Window):
            length = round(step.duration * RATE)
            spans.append((position, position + length))
            position += length
    return spans


def _expected_sets(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Every work window the routine asks for, in order, with its facts."""
    expected = []
    for section in plan["sections"]:
        rounds = section["rounds"]
        for number in range(1, rounds + 1):
            for ex in section["exercises"]:
                sides = ex["sides"] if ex["sides"] and not ex["alternate"] else [None]
                counted = ex["reps"] is not None and not ex["to_failure"]
                sets = range(1, ex["sets"] + 1)
                if ex["switch_sides"] == "after_all_sets":
                    order = [(n, side) for side in sides for n in sets]
                else:
                    order = [(n, side) for n in sets for side in sides]
                for n, side in order:
                    expected.append(
                        {
                            "exercise": ex["name"],
                            "set": n,
                            "sets": ex["sets"],
                            "side": side,
                            "round": number,
                            "rounds": rounds,
                            "reps": ex["reps"] if counted else None,
                            "hold": ex["hold"] if counted else None,
                            "to_failure": ex["to_failure"],
                            "tempo": ex["tempo"],
                            "alternate": ex["sides"] if ex["alternate"] else None,
                        }
                    )
    return expected


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_timeline_windows_agree_with_the_script_and_the_routine(
    name: str, level: int, tmp_path: Path
) -> None:
    script = compile_routine(load_routine(name), level=level)
    doc = _session_document(script, tmp_path)
    windows = doc["windows"]
    assert all(set(window) == KEYS for window in windows)

    # Spans: one per window of the script, each at the sum of the lengths before it.
    kinds = [step.kind for step in script.steps if isinstance(step, Window)]
    assert [w["kind"] for w in windows] == kinds
    for window, (start, end) in zip(windows, _window_positions(script), strict=True):
        assert (window["start"], window["end"]) == (start / RATE, end / RATE)
        chapter = doc["chapters"][window["chapter"]]
        assert chapter["start"] <= window["start"] < window["end"] <= chapter["end"]

    # Facts: the sets the routine asks for, in the order they are done.
    work = [w for w in windows if w["kind"] == "work"]
    expected = _expected_sets(_shown(name, level))
    facts: tuple[str, ...] = (
        "exercise",
        "set",
        "sets",
        "side",
        "round",
        "rounds",
        "reps",
        "hold",
        "to_failure",
        "alternate",
    )
    assert [{k: w[k] for k in facts} for w in work] == [{k: e[k] for k in facts} for e in expected]

    # Reps on the tempo, each count inside its rep; timed sets carry their work time.
    counts = [c for c in doc["cues"] if c["kind"] == "count"]
    for window, plan in zip(work, expected, strict=True):
        if window["reps"] is None:
            assert window["rep_starts"] is None
            assert window["work"] == pytest.approx(window["end"] - window["start"])
            continue
        assert window["work"] is None
        rep = plan["tempo"] + plan["hold"]
        starts = window["rep_starts"]
        assert len(starts) == window["reps"]
        for k, start in enumerate(starts):
            assert start - window["start"] == pytest.approx(k * rep, abs=1 / RATE)
        # Not every rep is counted (cues take the place of counts); each count that is
        # said falls inside a rep of its own, and names that rep's side when they alternate.
        inside = [c for c in counts if window["start"] <= c["start"] < window["end"]]
        assert inside
        reps_of = [bisect.bisect_right(starts, c["start"]) for c in inside]
        assert all(rep >= 1 for rep in reps_of)
        assert len(set(reps_of)) == len(reps_of)
        if window["alternate"]:
            sides = window["alternate"]
            for cue, rep in zip(inside, reps_of, strict=True):
                assert sides[(rep - 1) % 2] in cue["text"], cue["text"]

    # A prepare, switch or rest window describes the set it leads into.
    lead = ("exercise", "set", "sets", "side", "round", "rounds")
    for index, window in enumerate(windows):
        if window["kind"] != "work":
            following = next(w for w in windows[index:] if w["kind"] == "work")
            assert {k: window[k] for k in lead} == {k: following[k] for k in lead}
            assert (window["reps"], window["rep_starts"], window["work"]) == (None, None, None)


SHORT = """
title: Short legs
settings: {tempo: 2s, rest: 4s, switch: 3s}
intro: [Short one.]
outro: [Done.]
exercises:
  - name: Lunge
    sets: 2
    reps: 3
    sides: [right leg, left leg]
  - name: Plank
    work: 6s
"""


@pytest.mark.parametrize("split", ["session", "exercise"])
def test_rendered_timeline_json_has_the_windows_where_the_file_sounds(
    split: str, tmp_path: Path
) -> None:
    """Decoded by ffmpeg, each work window begins with "go" and its beep: the sound starts
    within 20 ms of the window's `start`, in the session file and in each exercise track."""
    from test_render_support import decode, onset

    from coach.render.render import render_timeline
    from coach.routine import parse_routine

    script = compile_routine(parse_routine(SHORT, "short.yaml"))
    timeline = resolve(script, MemoryVoice(FakeEngine()))
    render_timeline(timeline, tmp_path, split=split, cover=False)
    docs = sorted(tmp_path.rglob("*.timeline.json"))
    seen = []
    for path in docs:
        doc = json.loads(path.read_text(encoding="utf-8"))
        audio = decode(path.with_name(path.name.replace(".timeline.json", ".mp3")))
        for window in doc["windows"]:
            assert 0 <= window["start"] < window["end"] <= doc["duration"] + 1e-9
            if window["kind"] == "work":
                start = round(window["start"] * RATE)
                assert abs(onset(audio, start) - start) <= 0.020 * RATE, window
            if split == "exercise":
                assert window["chapter"] == 0
        seen += [(w["kind"], w["exercise"], w["set"], w["side"]) for w in doc["windows"]]
    assert seen == [
        ("prepare", "Lunge", 1, "right leg"),
        ("work", "Lunge", 1, "right leg"),
        ("switch", "Lunge", 1, "left leg"),
        ("work", "Lunge", 1, "left leg"),
        ("rest", "Lunge", 2, "right leg"),
        ("work", "Lunge", 2, "right leg"),
        ("switch", "Lunge", 2, "left leg"),
        ("work", "Lunge", 2, "left leg"),
        ("rest", "Plank", 1, None),  # no setup lines: the rest leads straight into the set
        ("work", "Plank", 1, None),
    ]
