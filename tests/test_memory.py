"""geo.memory.IdleTrimmer on a counter instead of the allocator: it trims once per busy spell, only when quiet."""

from __future__ import annotations

import sys
import time

import pytest

from geo.memory import IdleTrimmer, _malloc_trim


def _wait(pred, timeout: float = 3.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.01)
    return pred()


def test_it_trims_once_after_a_busy_spell_and_not_while_busy_or_idle():
    calls: list[float] = []
    tr = IdleTrimmer(idle_s=0.3, check_s=0.02, trim=lambda: calls.append(time.monotonic()))
    try:
        time.sleep(0.5)
        assert calls == []  # no activity yet: nothing to give back
        for _ in range(10):  # busy: a run every 0.1 s, never 0.3 s quiet
            tr.touch()
            t_last = time.monotonic()
            time.sleep(0.1)
        assert calls == []
        assert _wait(lambda: len(calls) == 1)
        assert calls[0] - t_last >= 0.3
        time.sleep(0.5)
        assert len(calls) == 1  # quiet stays quiet: one trim per spell
        tr.touch()
        assert _wait(lambda: len(calls) == 2)
    finally:
        tr.stop()


def test_the_native_trim_is_found_and_runs_on_linux():
    trim = _malloc_trim()
    if not sys.platform.startswith("linux"):
        pytest.skip("glibc's malloc_trim exists only on Linux")
    assert trim is not None
    assert trim() in (0, 1)  # 1 if memory was given back, 0 if there was none to give
