"""coach: a voice-guided audio coach."""

__version__ = "0.1.0"
