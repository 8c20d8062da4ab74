"""``mkdocs serve --dirty`` (what ``make serve`` runs) on a project folder, for the preview tests
and benchmarks/build.py: start it, wait for pages to show what was saved."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Preview:
    url: str
    site: Path
    """The folder MkDocs serves from (it makes one under TMPDIR)."""
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """User and system time the server has used so far (Linux)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return None if error.code == 404 else f"HTTP {error.code}"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, condition: str, *, present: bool = True, limit: float = 120) -> float:
    """Seconds until the page at ``url`` contains ``condition`` (or, with ``present=False``, no
    longer does); ``limit`` only guards against a hang."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        page = fetch(url)
        if (page is not None and condition in page) == present:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{url}: {'never showed' if present else 'still shows'} {condition!r} after {limit} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serve(root: Path, scratch: Path) -> Iterator[Preview]:
    """``mkdocs serve --dirty`` of the project at ``root``, its output under ``scratch``, until the block ends."""
    port = _free_port()
    scratch.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="preview-", dir=scratch))
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SITE_")}
    environment |= {"NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)}
    with (scratch / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url, "</html>")
        (site,) = scratch.glob("mkdocs_*")
        yield Preview(url=url, site=site, process=process)
    finally:
        process.terminate()
        process.wait(timeout=60)
