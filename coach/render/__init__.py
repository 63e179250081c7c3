"""MP3 export: the mix chain streamed through ffmpeg, tagged, with its sidecars.

Nothing is imported here, so importing the package stays cheap; the renderer
itself lives in `coach.render.render`.
"""
