"""MP3 export: stream a Timeline through ffmpeg, tag it, write sidecars.

Only `find_ffmpeg` is imported here, so importing the package stays cheap; the
renderer itself lives in `coach.render.render`.
"""

from __future__ import annotations

from coach.audio.ffmpeg import find_ffmpeg

__all__ = ["find_ffmpeg"]
