"""Files coach writes, and reads back from its cache.

Writes are whole or not at all: a hidden temporary beside the file, then a rename.
Every file coach writes goes through here: the cue scripts of `compile -o`, the
renderer's MP3s and sidecars, the clip cache, remembered plans and listings. A
reader never sees half a file, and an interrupted write leaves no temporary. A file
that is replaced keeps its permission bits; a new one gets the umask's default.

`read_own_file` reads back what coach wrote: regular files only, never through a
link, never more than a bound, so a FIFO or a link to /dev/zero planted in the
cache cannot hang or flood a run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

from coach.signals import finishing

TEMP_SUFFIX = ".part"


def temp_beside(final: Path, token: str | None = None) -> Path:
    """A hidden name for the temporary that becomes `final`, in the same folder."""
    return final.with_name(f".{final.name}.{token or secrets.token_hex(4)}{TEMP_SUFFIX}")


def put_in_place(temp: Path, final: Path) -> None:
    """Rename `temp` over `final`, giving it the permission bits `final` had (if it existed)."""
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(os.stat(final).st_mode)
        os.chmod(temp, mode)
    os.replace(temp, final)


def write_atomically(final: Path, data: bytes, output: bool = False) -> None:
    """Write `data` to `final` whole or not at all; OSError if it cannot be written.

    `output`: this file is what the command makes; once it is complete, a signal no
    longer stops the command (coach.signals.finishing), so it is renamed into place."""
    temp = temp_beside(final)
    try:
        # "x": a new file, with 0o666 and the umask, the mode any program gives a new file.
        with open(temp, "xb") as out:
            out.write(data)
        if output:
            finishing()
        put_in_place(temp, final)
    except FileExistsError as error:
        if error.filename == str(temp):
            return write_atomically(final, data, output)  # another writer's name: choose again
        raise
    except BaseException:
        # Also when a signal lands between creating the temporary and writing it.
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# Where the system has them: never follow a link, never wait for a FIFO's writer.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_READ_FLAGS |= getattr(os, "O_BINARY", 0)


def read_own_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`; OSError if it is anything else or too big."""
    handle = os.open(path, _READ_FLAGS)
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > limit:
            raise OSError(errno.EFBIG, f"over {limit:,} bytes", str(path))
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"over {limit:,} bytes", str(path))
    return data
