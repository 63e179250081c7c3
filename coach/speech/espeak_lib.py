"""Find libespeak-ng for pyttsx3 on Linux: the system's, else the espeakng-loader wheel's.

pyttsx3's espeak driver opens the library by its soname ("libespeak-ng.so.1") when its
module is imported. The dynamic loader answers a soname that is already loaded with the
loaded copy, so loading the wheel's file here, before pyttsx3 is imported, is enough to
make a bare machine speak; ESPEAK_DATA_PATH points it at the data in the same wheel.

The library is loaded RTLD_LOCAL, not RTLD_GLOBAL: piper's extension carries its own
copy of espeak-ng, and with a global libespeak-ng its calls bind to the wrong copy and
crash the process when both engines are used in one run.

COACH_ESPEAK chooses: "auto" (default: system, else wheel), "system" or "bundled".
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from dataclasses import dataclass

from coach.errors import CoachError

SONAME = "libespeak-ng.so.1"
ENV = "COACH_ESPEAK"
MODES = ("auto", "system", "bundled")

INSTALL_HINT = (
    "install it with `pip install espeakng-loader` (a wheel with the library and its data) "
    "or `apt-get install espeak-ng`"
)


@dataclass(frozen=True)
class EspeakLibrary:
    """Where the loaded libespeak-ng came from."""

    source: str  # "system" or "bundled"
    path: str


_lock = threading.Lock()
_loaded: EspeakLibrary | None = None


def missing_library_error(detail: str = "") -> CoachError:
    """The one message a user sees when no libespeak-ng can be loaded."""
    reason = f" ({detail})" if detail else ""
    return CoachError(
        f"the speech engine needs libespeak-ng, which was not found{reason}; {INSTALL_HINT}"
    )


def load_espeak() -> EspeakLibrary:
    """Load libespeak-ng once per process, honouring COACH_ESPEAK; CoachError if absent."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _load(os.environ.get(ENV, "auto").strip().lower() or "auto")
        return _loaded


def _load(mode: str) -> EspeakLibrary:
    if mode not in MODES:
        raise CoachError(f"{ENV}={mode!r} is not one of: {', '.join(MODES)}")
    problems: list[str] = []
    if mode in ("auto", "system"):
        found = _load_system(problems)
        if found is not None:
            return found
    if mode in ("auto", "bundled"):
        found = _load_bundled(problems)
        if found is not None:
            return found
    raise missing_library_error("; ".join(problems))


def _load_system(problems: list[str]) -> EspeakLibrary | None:
    name = ctypes.util.find_library("espeak-ng") or SONAME
    try:
        ctypes.CDLL(name)
    except OSError:
        problems.append("no system libespeak-ng")
        return None
    return EspeakLibrary("system", name)


def _load_bundled(problems: list[str]) -> EspeakLibrary | None:
    try:
        import espeakng_loader
    except ImportError:
        problems.append("the espeakng-loader package is not installed")
        return None
    try:
        path = str(espeakng_loader.get_library_path())
        data = str(espeakng_loader.get_data_path())
        ctypes.CDLL(path)
    except (OSError, RuntimeError) as error:
        problems.append(f"the espeakng-loader library did not load: {error}")
        return None
    # Read by espeak_Initialize, which pyttsx3 calls with no data path of its own.
    os.environ["ESPEAK_DATA_PATH"] = data
    return EspeakLibrary("bundled", path)
