"""coach.signals: a signal held by deferred() is delivered when the block ends."""

from __future__ import annotations

import os
import signal

import pytest

from coach.signals import Stopped, deferred, stop_on_signals


def test_a_signal_inside_deferred_waits_for_the_end_of_the_block() -> None:
    reached_the_end = False
    with stop_on_signals(), pytest.raises(Stopped) as stopped, deferred():
        os.kill(os.getpid(), signal.SIGTERM)
        reached_the_end = True
    assert reached_the_end
    assert stopped.value.code == 143


def test_nested_deferred_blocks_deliver_once_the_outer_one_ends() -> None:
    steps = []
    with stop_on_signals(), pytest.raises(KeyboardInterrupt), deferred():
        with deferred():
            os.kill(os.getpid(), signal.SIGINT)
        steps.append("after the inner block")
    assert steps == ["after the inner block"]
