"""A visitor that speaks Streamlit's own protocol over its WebSocket, without a browser.

It does what the browser does on the wire: opens ``/_stcore/stream``, asks for a script run with
the page's query string (a ``BackMsg`` with ``rerun_script``), reads the ``ForwardMsg`` stream
(deltas, ``script_finished``), remembers the widgets the page sent, and changes one of them by
asking for a rerun with the new widget state. It measures when the map element arrives: a delta
whose iframe (``st.iframe`` or the old ``components.html``) carries the map page, recognised by
``MAP_MARK``. Loopback only; used by ``benchmarks/bench_load.py`` and ``tests/test_load.py``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: Text every flow-map page carries (the hooks the browser tests drive).
MAP_MARK = "atlasMap"
_WIDGETS = ("slider", "radio", "selectbox", "multiselect", "checkbox")


class ProtocolError(RuntimeError):
    """The server closed the stream, sent an exception element, or did not answer in time."""


@dataclass
class Widget:
    """A widget as the page last sent it: its id, label, kind and options."""

    id: str
    label: str
    kind: str
    options: list[str] = field(default_factory=list)


@dataclass
class Run:
    """What one script run sent: when the map arrived and the run finished (seconds after the request)."""

    map_s: float | None = None
    finished_s: float | None = None
    map_bytes: int = 0
    errors: list[str] = field(default_factory=list)


class Visitor:
    """One browser tab's worth of protocol, for load tests.

    Parameters
    ----------
    base : str
        ``http://127.0.0.1:PORT`` of the server.
    query : str
        The page's query string without ``?`` (``years=1937-1937&nat=Korean``).
    headers : dict, optional
        Extra HTTP headers of the WebSocket handshake (a cookie, through a proxy).
    """

    def __init__(self, base: str, query: str = "", headers: dict[str, str] | None = None) -> None:
        self.ws_url = base.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.query = query
        self.headers = headers or {}
        self.widgets: dict[str, Widget] = {}
        self.states: dict[str, WidgetState] = {}
        self.page_hash = ""
        self._ws = None

    async def open(self, timeout: float = 120.0) -> Run:
        """Connect and run the page as a browser arriving at its address does."""
        self._ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=timeout, ping_interval=None,
                                            additional_headers=self.headers or None)
        return await self._rerun(timeout)

    async def change(self, label: str, value: object, timeout: float = 120.0) -> Run:
        """Set the widget labelled ``label`` (radio/selectbox: an option's text; slider: a tuple) and rerun."""
        w = next((w for w in self.widgets.values() if w.label == label), None)
        if w is None:
            raise ProtocolError(f"no widget labelled {label!r}; the page has {sorted(x.label for x in self.widgets.values())}")
        state = WidgetState(id=w.id)
        if w.kind in ("radio", "selectbox"):
            state.string_value = str(value)
        elif w.kind == "slider":
            state.double_array_value.data.extend(float(v) for v in value)  # type: ignore[union-attr]
        elif w.kind == "multiselect":
            state.string_array_value.data.extend(str(v) for v in value)  # type: ignore[union-attr]
        elif w.kind == "checkbox":
            state.bool_value = bool(value)
        self.states[w.id] = state
        return await self._rerun(timeout)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def _rerun(self, timeout: float) -> Run:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        cs.widget_states.widgets.extend(self.states.values())
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        run = Run()
        deadline = t0 + timeout
        while run.finished_s is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ProtocolError(f"no script_finished within {timeout:.0f} s")
            try:
                raw = await asyncio.wait_for(self._ws.recv(), left)
            except (asyncio.TimeoutError, websockets.ConnectionClosed) as exc:
                raise ProtocolError(f"stream ended: {exc!r}") from None
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            self._read(fm, run, t0)
        return run

    def _read(self, fm: ForwardMsg, run: Run, t0: float) -> None:
        kind = fm.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = self.page_hash or fm.new_session.page_script_hash
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            what = el.WhichOneof("type")
            if what == "iframe" and MAP_MARK in (el.iframe.srcdoc or el.iframe.src) and run.map_s is None:
                run.map_s = time.perf_counter() - t0
                run.map_bytes = len(el.iframe.srcdoc)
            elif what == "exception":
                run.errors.append(f"{el.exception.type}: {el.exception.message}")
            elif what in _WIDGETS:
                w = getattr(el, what)
                self.widgets[w.id] = Widget(w.id, w.label, what, list(getattr(w, "options", [])))
        elif kind == "script_finished":
            if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return  # a rerun asked by the page itself (st.rerun): keep reading
            run.finished_s = time.perf_counter() - t0
            if fm.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.errors.append("script compile error")
