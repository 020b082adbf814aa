"""The deployment recipe, run as far as this machine can: the image's commands, and replicas behind nginx.

Docker has no engine here, so the Dockerfile's own build step, start command and health check are
run directly; ``deploy/nginx.conf`` is run by a real nginx in front of two replicas on loopback, and
a visitor's cookie must keep it on one replica (its WebSocket and uploads live in that process).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import server  # noqa: E402
from stclient import Visitor  # noqa: E402

NGINX = "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dockerfile() -> dict[str, object]:
    text = (ROOT / "Dockerfile").read_text("utf-8").replace("\\\n", " ")
    out: dict[str, object] = {"run": re.findall(r"^RUN (.+)$", text, re.M)}
    out["cmd"] = json.loads(re.search(r"^CMD (\[.+\])$", text, re.M)[1])
    out["health"] = json.loads(re.search(r"^HEALTHCHECK .*?CMD (\[.+\])$", text, re.M)[1])
    out["env"] = dict(re.findall(r"^ENV (\w+)=(\S+)$", text, re.M))
    return out


def test_the_image_builds_its_caches_starts_and_reports_healthy(tmp_path):
    d = _dockerfile()
    assert "python -m geo prepare" in d["run"]
    assert "ATLAS_CACHE_DIR" in d["env"]
    assert d["env"]["MALLOC_ARENA_MAX"] == "2"  # as the README starts it: the heap shrinks after a busy spell
    env = dict(os.environ, PYTHONPATH=str(ROOT), ATLAS_CACHE_DIR=str(tmp_path / "cache"))
    prep = subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert prep.returncode == 0, prep.stderr[-2000:]
    assert any((tmp_path / "cache").iterdir())  # the caches exist before any visitor
    port = _free_port()
    cmd = [sys.executable, "-m", "streamlit", *d["cmd"][1:]] if d["cmd"][0] == "streamlit" else list(d["cmd"])
    cmd = [a.replace("8501", str(port)).replace("0.0.0.0", "127.0.0.1") for a in cmd]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        health = [a.replace("8501", str(port)) for a in d["health"]]
        health[0] = sys.executable if health[0] == "python" else health[0]
        deadline = time.time() + 60
        while subprocess.run(health, capture_output=True).returncode != 0:
            assert time.time() < deadline, "the health check never passed"
            assert proc.poll() is None, "the start command exited"
            time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _get(url: str, cookie: str | None = None) -> tuple[str, str]:
    req = urllib.request.Request(url, headers={"Cookie": f"atlas_node={cookie}"} if cookie else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.headers.get("X-Atlas-Upstream", ""), r.headers.get("Set-Cookie", "")


def test_replicas_behind_nginx_keep_each_visitor_on_one_replica(tmp_path):
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: scripts/test installs Debian's nginx-light for this test")
    with server() as (url1, _, _), server() as (url2, _, _):
        p1, p2 = url1.rsplit(":", 1)[1], url2.rsplit(":", 1)[1]
        listen = _free_port()
        conf = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
        conf = re.sub(r"\n\s*server atlas\d:8501[^\n]*", "", conf)
        conf = conf.replace("hash $atlas_node consistent;",
                            f"hash $atlas_node consistent;\n    server 127.0.0.1:{p1};\n    server 127.0.0.1:{p2};")
        conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{listen};")
        conf = conf.replace("pid /tmp/atlas-nginx.pid;", f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;")
        conf = conf.replace("add_header Set-Cookie",  # which replica answered: for this test only
                            "add_header X-Atlas-Upstream $upstream_addr always;\n      add_header Set-Cookie")
        (tmp_path / "nginx.conf").write_text(conf, "utf-8")
        ng = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{listen}"
        try:
            for _ in range(100):
                try:
                    _get(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            upstream, cookie = _get(base + "/")
            assert cookie.startswith("atlas_node=") and upstream  # a first visit gets its id
            seen = {f"id{k}": _get(base + "/_stcore/health", f"id{k}")[0] for k in range(24)}
            assert set(seen.values()) == {f"127.0.0.1:{p1}", f"127.0.0.1:{p2}"}  # visitors spread over both
            for k in range(0, 24, 4):  # and each stays where it was sent
                assert {_get(base + "/_stcore/health", f"id{k}")[0] for _ in range(5)} == {seen[f"id{k}"]}

            async def visit(k: int):
                v = Visitor(base, headers={"Cookie": f"atlas_node=id{k}"})
                try:
                    return await v.open(timeout=300)
                finally:
                    await v.close()

            async def visits():
                return await asyncio.gather(*(visit(k) for k in range(4)))

            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(1) as pool:  # its own event loop: the test session's Playwright may hold one
                runs = pool.submit(asyncio.run, visits()).result()
            assert all(r.map_s is not None and not r.errors for r in runs), runs  # WebSockets pass the proxy
        finally:
            ng.terminate()
            ng.wait(timeout=10)
    shutil.rmtree(tmp_path, ignore_errors=True)
