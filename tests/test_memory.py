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


_THREADS = """
import ctypes, ctypes.util, sys, threading
from geo.memory import limit_arenas
if sys.argv[1] != "none":
    assert limit_arenas(int(sys.argv[1]))
ready = threading.Barrier(8)
keep = []
def run():  # a visitor's script thread: blocks of 100 kB come from glibc's malloc (above pymalloc, below mmap)
    keep.append([bytearray(100_000) for _ in range(20)])
    ready.wait()  # all eight alive at once, as in a busy spell
threads = [threading.Thread(target=run) for _ in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ctypes.CDLL(ctypes.util.find_library("c")).malloc_stats()  # one "Arena k:" block per arena, on stderr
"""


def _arenas(limit: str, tmp_path) -> int:
    import subprocess
    from pathlib import Path

    script = tmp_path / "threads.py"
    script.write_text(_THREADS)
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, str(script), limit], capture_output=True, text=True, cwd=root,
                         env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, check=True)
    return sum(line.startswith("Arena ") for line in out.stderr.splitlines())


def test_eight_busy_threads_share_two_arenas_once_limited(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("mallopt and malloc_stats are glibc's")
    assert _arenas("none", tmp_path) > 4  # unlimited, glibc gives the threads arenas of their own
    assert _arenas("2", tmp_path) <= 2
