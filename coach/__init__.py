"""coach: a voice-guided audio coach."""

__version__ = "0.1.0"


def main() -> None:
    """Entry point of the `coach` console script and of `python -m coach`."""
    import sys

    try:
        from coach.cli import main as run
    except KeyboardInterrupt:  # Ctrl-C while the command line is still loading
        sys.stderr.write("Interrupted.\n")
        raise SystemExit(130) from None
    run()
