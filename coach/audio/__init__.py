"""The audio layer: samples, clips, mixing, the music bed, loudness, the limiter, ffmpeg.

Everything that turns a Timeline into sound lives here, below the two outputs
(`coach.render` writes files, `coach.live` plays on a device), so both play the
same samples through the same chain (`coach.audio.chain`).
"""
