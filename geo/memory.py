"""Giving memory back to the system once a busy server goes quiet.

A Streamlit server runs each visitor's script in a thread; glibc's allocator gives those threads their
own arenas and keeps freed blocks in them, so after a class has come and gone the process still holds
what it needed at its peak, although Python has freed it. :class:`IdleTrimmer` watches for a quiet
spell (no script run for ``idle_s`` seconds) and then runs the garbage collector and ``malloc_trim(0)``
once, which returns the free pages to the system. It does nothing on a system without glibc.

Trimming alone is not enough: a busy spell of 50 visitors' runs in parallel threads made glibc open an
arena per thread (up to eight per core), and freed blocks scattered over those arenas cannot be given
back (+27 % after the visitors left, in a 60 s run). :func:`limit_arenas` caps the arenas at two from
inside the process (on the app's first run, when the server's own threads already hold some: +10 % five
minutes after 100 sessions left, on a quiet machine); ``MALLOC_ARENA_MAX=2`` in the environment, as the
README's start command and the Dockerfile set it, does so from the process's start (+0 %).

Measured with ``benchmarks/bench_load.py --scenario sustained`` (README, "Serving many people").
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time
from collections.abc import Callable


def _malloc_trim() -> Callable[[], object] | None:
    """glibc's ``malloc_trim(0)``, or None where there is no glibc (macOS, musl, Windows)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return lambda: trim(0)


#: glibc's ``mallopt`` parameter for the most arenas (``M_ARENA_MAX`` in malloc.h).
M_ARENA_MAX = -8


def limit_arenas(n: int = 2) -> bool:
    """Let glibc's allocator open at most ``n`` arenas for the threads created from now on.

    Parameters
    ----------
    n : int
        The most arenas; threads beyond them share the existing ones.

    Returns
    -------
    bool
        True if glibc accepted it; False where there is no glibc (macOS, musl, Windows).
    """
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return mallopt(M_ARENA_MAX, n) == 1


class IdleTrimmer:
    """Trim the heap once after each busy spell, when no activity was seen for ``idle_s`` seconds.

    Parameters
    ----------
    idle_s : float
        Quiet time after the last :meth:`touch` before trimming.
    check_s : float
        How often the watcher thread looks.
    trim : callable, optional
        What trimming does (tests pass a counter); default: ``gc.collect()`` then glibc's ``malloc_trim(0)``.
    """

    def __init__(self, idle_s: float = 30.0, check_s: float = 5.0, trim: Callable[[], object] | None = None) -> None:
        self.idle_s, self.check_s = idle_s, check_s
        native = _malloc_trim()
        self._trim = trim or (lambda: (gc.collect(), native() if native else None))
        self._last = time.monotonic()
        self._dirty = False  # activity since the last trim
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.trims = 0
        self._thread = threading.Thread(target=self._watch, name="atlas-idle-trimmer", daemon=True)
        self._thread.start()

    def touch(self) -> None:
        """Note activity (a script run)."""
        with self._lock:
            self._last = time.monotonic()
            self._dirty = True

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * self.check_s)

    def _watch(self) -> None:
        while not self._stop.wait(self.check_s):
            with self._lock:
                due = self._dirty and time.monotonic() - self._last >= self.idle_s
                if due:
                    self._dirty = False
            if due:
                self._trim()
                self.trims += 1
