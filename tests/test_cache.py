"""The clip cache: keys, damaged entries, atomic writes, and a voice that synthesizes once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from coach.audio.clip import Clip
from coach.paths import default_cache_dir
from coach.speech import open_voice
from coach.speech.cache import (
    HEADER,
    CachedVoice,
    ClipCache,
    cache_key,
    decode_clip,
    encode_clip,
)
from coach.speech.fake import FakeEngine


def _clip(frames: int, value: int = 1000) -> Clip:
    return Clip(np.full(frames, value, dtype=np.int16))


def test_cache_lives_in_coach_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "here"))
    assert default_cache_dir() == tmp_path / "here"
    voice = open_voice("fake")
    voice.prepare(["one"])
    assert ClipCache(tmp_path / "here").info().entries == 1


def test_key_depends_on_identity_and_text() -> None:
    keys = {cache_key(i, t) for i in ("fake/50", "fake/40") for t in ("one", "two")}
    assert len(keys) == 4


def test_round_trip(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    clip = Clip(np.arange(-500, 500, dtype=np.int16))
    cache.put("ab" * 32, clip)
    found = cache.get("ab" * 32)
    assert found is not None
    assert np.array_equal(found.samples, clip.samples)
    assert found.sample_rate == clip.sample_rate
    assert cache.get("cd" * 32) is None


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[: len(b) - 7], id="truncated"),
        pytest.param(lambda b: b[: HEADER.size - 3], id="torn-header"),
        pytest.param(lambda b: b"", id="empty"),
        pytest.param(lambda b: b[:-2] + bytes([b[-2] ^ 0xFF]) + b[-1:], id="flipped-sample"),
        pytest.param(lambda b: b"NOTACLIP" + b[8:], id="bad-magic"),
        pytest.param(lambda b: b + b"\x00\x00", id="extra-bytes"),
    ],
)
def test_damaged_entry_is_a_miss_and_is_synthesized_again(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    engine = FakeEngine()
    cache = ClipCache(tmp_path)
    CachedVoice(engine, cache).prepare(["switch sides"])
    key = cache_key(engine.identity(), "switch sides")
    path = cache.path(key)
    path.write_bytes(damage(path.read_bytes()))
    assert decode_clip(path.read_bytes(), key) is None

    again = CachedVoice(engine, cache)
    clip = again.clip("switch sides")
    assert again.stats.synthesized == 1 and again.stats.disk_hits == 0
    assert clip.frames == engine.frames_for("switch sides")
    assert decode_clip(path.read_bytes(), key) is not None  # repaired on disk


def test_second_voice_synthesizes_nothing(tmp_path: Path) -> None:
    texts = ["three", "two", "one", "rest", "three", "two", "one", "go"]
    engine = FakeEngine()
    first = CachedVoice(engine, ClipCache(tmp_path))
    first.prepare(texts)
    assert first.stats.synthesized == 5  # unique texts only
    assert sorted(engine.calls) == sorted(set(texts))

    engine.calls.clear()
    second = CachedVoice(engine, ClipCache(tmp_path))
    second.prepare(texts)
    clips = [second.clip(t) for t in texts]
    assert engine.calls == []
    assert second.stats.synthesized == 0
    assert second.stats.disk_hits == 5
    assert [c.frames for c in clips] == [engine.frames_for(t) for t in texts]


def test_clip_without_prepare_synthesizes_once(tmp_path: Path) -> None:
    engine = FakeEngine()
    voice = CachedVoice(engine, ClipCache(tmp_path))
    for _ in range(3):
        voice.clip("halfway")
    assert engine.calls == ["halfway"]
    assert voice.stats.memory_hits == 2


def test_different_engine_settings_do_not_share_clips(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    CachedVoice(FakeEngine(ms_per_char=50), cache).prepare(["go"])
    slower = FakeEngine(ms_per_char=80)
    assert CachedVoice(slower, cache).clip("go").frames == slower.frames_for("go")


def test_info_and_clear(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    assert cache.info().entries == 0
    CachedVoice(FakeEngine(), cache).prepare(["a", "bb", "ccc"])
    info = cache.info()
    assert info.entries == 3
    assert info.bytes == sum(
        HEADER.size + 2 * FakeEngine().frames_for(t) for t in ("a", "bb", "ccc")
    )
    assert cache.clear() == 3
    assert cache.info().entries == 0


def test_a_failed_write_leaves_no_entry_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ClipCache(tmp_path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        cache.put("ef" * 32, _clip(100))
    monkeypatch.undo()
    assert cache.get("ef" * 32) is None
    assert list(cache.path("ef" * 32).parent.iterdir()) == []


WRITER = """
import sys
import numpy as np
from pathlib import Path
from coach.audio.clip import Clip
from coach.speech.cache import ClipCache
cache = ClipCache(Path(sys.argv[1]))
frames = int(sys.argv[2])
clip = Clip(np.full(frames, frames % 3000, dtype=np.int16))
for _ in range(int(sys.argv[3])):
    cache.put(sys.argv[4], clip)
"""


def test_two_processes_writing_one_key_never_expose_half_a_clip(tmp_path: Path) -> None:
    key = cache_key("race", "same text")
    cache = ClipCache(tmp_path)
    sizes = (40_000, 90_000)  # different lengths: a torn mix would show
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(n), "150", key])
        for n in sizes
    ]
    path = cache.path(key)
    seen = 0
    deadline = time.monotonic() + 60
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        clip = decode_clip(data, key)
        assert clip is not None, "a reader saw a damaged entry"
        assert clip.frames in sizes
        seen += 1
    assert all(w.wait(timeout=60) == 0 for w in writers)
    assert seen > 0
    final = cache.get(key)
    assert final is not None and final.frames in sizes
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


def test_encode_is_stable() -> None:
    # The on-disk format is a contract between versions: header then little-endian int16.
    data = encode_clip(Clip(np.array([1, -2], dtype=np.int16)), "ab" * 32)
    assert data[:8] == b"COACHCLP"
    assert data[HEADER.size :] == b"\x01\x00\xfe\xff"


def test_second_resolve_of_a_shipped_routine_synthesizes_nothing() -> None:
    pipeline = pytest.importorskip("coach.pipeline")
    resolve = pytest.importorskip("coach.resolve")
    script = pipeline.load_script("tabata")
    first = open_voice("fake")
    timeline = resolve.resolve(script, first)
    assert first.stats.synthesized > 10
    second = open_voice("fake")
    again = resolve.resolve(script, second)
    assert second.stats.synthesized == 0
    assert second.stats.disk_hits == first.stats.synthesized
    assert again.length == timeline.length


def test_bench_script_reports_zero_warm_synthesis(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "bench_cache.py"
    result = subprocess.run(
        [sys.executable, str(script), "tabata", "--engine", "fake", "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [line.split("|") for line in result.stdout.splitlines() if line.startswith("| warm")]
    assert len(rows) == 1 and rows[0][4].strip() == "0"


def test_an_unwritable_cache_only_costs_speed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    engine = FakeEngine()
    voice = CachedVoice(engine, ClipCache(blocker))
    voice.prepare(["one", "two"])
    assert voice.clip("two").frames == engine.frames_for("two")
    assert voice.stats.synthesized == 2
    err = capsys.readouterr().err
    assert err.count("cannot write the clip cache") == 1


def test_an_entry_copied_over_another_is_not_trusted(tmp_path: Path) -> None:
    # A valid entry under the wrong name would make the coach speak the wrong words.
    engine = FakeEngine()
    cache = ClipCache(tmp_path)
    CachedVoice(engine, cache).prepare(["left side", "right side, now the other one"])
    left = cache.path(cache_key(engine.identity(), "left side"))
    right = cache.path(cache_key(engine.identity(), "right side, now the other one"))
    right.write_bytes(left.read_bytes())
    voice = CachedVoice(engine, cache)
    clip = voice.clip("right side, now the other one")
    assert voice.stats.synthesized == 1
    assert clip.frames == engine.frames_for("right side, now the other one")
    assert clip.frames != engine.frames_for("left side")


def _planted(tmp_path: Path, kind: str) -> tuple[FakeEngine, ClipCache, Path]:
    engine = FakeEngine()
    cache = ClipCache(tmp_path)
    CachedVoice(engine, cache).prepare(["hold it"])
    path = cache.path(cache_key(engine.identity(), "hold it"))
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return engine, cache, path


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_planted_special_file_is_a_miss_not_a_hang(tmp_path: Path, kind: str) -> None:
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    if kind == "zero" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    code = f"""
import sys
from pathlib import Path
from coach.speech.cache import CachedVoice, ClipCache
from coach.speech.fake import FakeEngine
voice = CachedVoice(FakeEngine(), ClipCache(Path({str(tmp_path)!r})))
print(voice.clip("hold it").frames)
"""
    engine, _, path = _planted(tmp_path, kind)
    # In a child process with a time limit: before the fix a FIFO blocked forever.
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == engine.frames_for("hold it")
    assert path.is_file() and not path.is_symlink()  # replaced by a real entry


def _unusable_cache(tmp_path: Path, kind: str) -> Path:
    if kind == "file":
        target = tmp_path / "cache-file"
        target.write_text("not a folder\n")
        return target
    if kind == "below-a-file":
        (tmp_path / "cache-file").write_text("not a folder\n")
        return tmp_path / "cache-file" / "coach"
    target = tmp_path / "locked"
    (target / "clips" / "ab").mkdir(parents=True)
    (target / "clips" / "ab" / ("ab" * 32 + ".clip")).write_bytes(b"x")
    target.chmod(0o000)
    if os.access(target, os.R_OK):  # root reads and writes through permission bits
        target.chmod(0o755)
        pytest.skip("running as root: permission bits cannot make a folder unreadable")
    return target


@pytest.mark.parametrize("kind", ["file", "below-a-file", "mode-0000"])
@pytest.mark.parametrize("command", [["cache", "info"], ["cache", "clear"]])
def test_an_unusable_cache_folder_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, command: list[str]
) -> None:
    from click.testing import CliRunner

    from coach.cli import cli

    folder = _unusable_cache(tmp_path, kind)
    monkeypatch.setenv("COACH_CACHE_DIR", str(folder))
    try:
        result = CliRunner().invoke(cli, command)
    finally:
        if kind == "mode-0000":
            folder.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"Error: cannot {command[1] if command[1] == 'clear' else 'read'}")
    assert str(folder) in lines[0] and "COACH_CACHE_DIR" in lines[0]


def test_clear_says_what_it_could_not_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only cache: entries whose folder forbids removing them (chattr +i for root).
    from click.testing import CliRunner

    from coach.cli import cli

    cache = ClipCache(tmp_path / "cache")
    CachedVoice(FakeEngine(), cache).prepare(["one", "two"])
    folders = sorted({p.parent for p in cache.files()})
    locked = _lock(folders)
    monkeypatch.setenv("COACH_CACHE_DIR", str(cache.directory))
    try:
        result = CliRunner().invoke(cli, ["cache", "clear"])
    finally:
        _unlock(folders, locked)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot clear the cache folder {cache.directory}")
    assert "Traceback" not in result.output


def _lock(folders: list[Path]) -> str:
    for folder in folders:
        folder.chmod(0o500)
    probe = folders[0] / "probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return "mode"
    probe.unlink()
    for folder in folders:
        folder.chmod(0o755)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", *map(str, folders)], check=False).returncode:
        pytest.skip("running as root without chattr: a folder cannot be made read-only")
    return "chattr"


def _unlock(folders: list[Path], how: str) -> None:
    if how == "chattr":
        subprocess.run(["chattr", "-i", *map(str, folders)], check=True)
    for folder in folders:
        folder.chmod(0o755)


@pytest.mark.parametrize("kind", ["file", "below-a-file", "mode-0000"])
def test_list_still_lists_with_an_unusable_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    folder = _unusable_cache(tmp_path, kind)
    env = {**os.environ, "COACH_CACHE_DIR": str(folder)}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "coach", "list"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        if kind == "mode-0000":
            folder.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "seven-minute" in result.stdout and "tabata" in result.stdout
