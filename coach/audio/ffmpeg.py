"""Finding ffmpeg and running it as an encoder or decoder of raw PCM.

The system's ffmpeg is preferred; the one bundled in the imageio-ffmpeg wheel is
the fallback, so `pip install` alone is enough on a bare machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from coach.errors import CoachError
from coach.signals import deferred

SPLIT_FILTER = "asegment"  # cuts one stream into tracks (ffmpeg 4.4 and later)
INSTALL_HINT = "install it with `sudo apt install ffmpeg` (or `pip install imageio-ffmpeg`)"


@lru_cache(maxsize=1)
def find_ffmpeg() -> str:
    """Path of an ffmpeg executable: $COACH_FFMPEG, else the system's, else imageio-ffmpeg's."""
    chosen = os.environ.get("COACH_FFMPEG")
    if chosen:
        path = shutil.which(chosen)
        if path is None:
            raise CoachError(f"COACH_FFMPEG={chosen} is not an executable; {INSTALL_HINT}")
        return path
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as error:
        raise CoachError(f"ffmpeg was not found: {INSTALL_HINT}") from error
    return exe


class FFmpeg:
    """One ffmpeg process; stderr goes to a temporary file so it can never block."""

    def __init__(
        self,
        args: list[str],
        stdin: bool = False,
        stdout: bool = False,
        pass_fds: tuple[int, ...] = (),
    ) -> None:
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish/kill)
        try:
            # Started and recorded as one step, so kill_all() always knows of it.
            with deferred():
                self.process = subprocess.Popen(
                    [find_ffmpeg(), "-hide_banner", "-nostats", "-v", "error", *args],
                    stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                    stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
                    stderr=self._stderr,
                    # Its own session: Ctrl-C on the terminal reaches coach, which stops ffmpeg
                    # itself and cleans up, instead of ffmpeg dying first with a confusing error.
                    start_new_session=True,
                    pass_fds=pass_fds,
                )
                _running.add(self)
        except OSError as error:
            self._stderr.close()
            raise CoachError(f"could not start ffmpeg: {error}") from error
        if stdin:
            _widen(self.stdin)

    @property
    def stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.process.stdout is not None
        return self.process.stdout

    def errors(self) -> str:
        """The last lines ffmpeg wrote on stderr."""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return "\n".join(text.splitlines()[-5:])

    def finish(self, what: str) -> None:
        """Close stdin, wait, and raise CoachError if ffmpeg failed."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        code = self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        message = self.errors()
        self.close()
        if code != 0:
            raise CoachError(f"ffmpeg failed while {what} (exit {code}): {message or 'no output'}")

    def kill(self) -> None:
        """Stop the process at once (on failure or interruption)."""
        if self.process.poll() is None:
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.process.wait()
        self.close()

    def close(self) -> None:
        self._stderr.close()
        _running.discard(self)


_running: set[FFmpeg] = set()  # started and not yet finished or killed


def kill_all() -> None:
    """Stop every ffmpeg still running, and wait for each: before removing what they write."""
    for encoder in list(_running):
        encoder.kill()


PIPE_BYTES = 1 << 20  # about 24 s of PCM: fewer wake-ups of ffmpeg and of the feeder


def _widen(stream: IO[bytes]) -> None:
    """Enlarge a pipe's buffer where the system allows it (Linux); else leave it."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setpipe is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(stream.fileno(), setpipe, PIPE_BYTES)


def pcm_args(sample_rate: int) -> list[str]:
    """ffmpeg options describing raw mono signed 16-bit little-endian PCM."""
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1"]


STEREO_RATE = 44100  # a render with a music bed: stereo at the CD rate


def _mp3_output(path: Path, bitrate: str, stereo: bool = False) -> list[str]:
    """Encoder options for one MP3. `stereo`: resample the mono mix to 44.1 kHz and put
    it in both channels (MPEG-1 Layer III), for a session with a music bed."""
    layout = ["-ar", str(STEREO_RATE), "-ac", "2"] if stereo else []
    return [
        *layout,
        "-c:a",
        "libmp3lame",
        "-b:a",
        bitrate,
        # Tags are written afterwards with mutagen; the Xing/LAME header stays.
        "-id3v2_version",
        "0",
        "-write_id3v1",
        "0",
        "-f",
        "mp3",
        "-y",
        str(path),
    ]


def start_encoder(path: Path, sample_rate: int, bitrate: str, stereo: bool = False) -> FFmpeg:
    """An ffmpeg that reads PCM on stdin and writes an MP3 (with its gapless header) to `path`."""
    output = _mp3_output(path, bitrate, stereo)
    return FFmpeg([*pcm_args(sample_rate), "-i", "pipe:0", *output], stdin=True)


def start_split_encoder(
    paths: list[Path], frames: list[int], sample_rate: int, bitrate: str
) -> FFmpeg:
    """One ffmpeg reading consecutive tracks as one PCM stream on stdin, writing each its MP3.

    The stream is cut at exact sample positions (the `asegment` filter, ffmpeg 4.4 or
    later) and every piece has its own encoder, so each file is what encoding it alone
    gives (its own gapless header); the stream is read once, without copies."""
    if len(paths) == 1:
        return start_encoder(paths[0], sample_rate, bitrate)
    cuts = [sum(frames[: index + 1]) for index in range(len(frames) - 1)]
    labels = "".join(f"[s{index}]" for index in range(len(paths)))
    graph = [f"[0:a]{SPLIT_FILTER}=samples={'|'.join(map(str, cuts))}{labels}"]
    outputs: list[str] = []
    for index, path in enumerate(paths):
        graph.append(f"[s{index}]asetpts=PTS-STARTPTS[o{index}]")
        outputs += ["-map", f"[o{index}]", *_mp3_output(path, bitrate)]
    args = [*pcm_args(sample_rate), "-i", "pipe:0", "-filter_complex", ";".join(graph)]
    return FFmpeg([*args, *outputs], stdin=True)


def start_multi_encoder(
    paths: list[Path], sample_rate: int, bitrate: str
) -> tuple[FFmpeg, list[int]]:
    """One ffmpeg encoding several MP3s at once, each from its own pipe.

    Returns the process and the write ends of the pipes, in the order of `paths`. ffmpeg
    reads its inputs in step, so all pipes must be fed together (see encode.encode_group).
    One process instead of one per track saves its start-up (tens of milliseconds each)."""
    pipes = [os.pipe() for _ in paths]
    args: list[str] = []
    for read_end, _ in pipes:
        args += [*pcm_args(sample_rate), "-i", f"pipe:{read_end}"]
    for index, path in enumerate(paths):
        args += ["-map", f"{index}:a", *_mp3_output(path, bitrate)]
    try:
        process = FFmpeg(args, pass_fds=tuple(read_end for read_end, _ in pipes))
    except BaseException:
        for read_end, write_end in pipes:
            os.close(read_end)
            os.close(write_end)
        raise
    for read_end, _ in pipes:
        os.close(read_end)
    return process, [write_end for _, write_end in pipes]


def start_decoder(path: Path, sample_rate: int, offset: float = 0.0) -> FFmpeg:
    """An ffmpeg that decodes any audio file to mono PCM at `sample_rate` on stdout."""
    seek = ["-ss", f"{offset:.6f}"] if offset > 0 else []
    return FFmpeg(
        [*seek, "-i", str(path), "-vn", *pcm_args(sample_rate), "pipe:1"],
        stdout=True,
    )
