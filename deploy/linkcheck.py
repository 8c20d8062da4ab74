"""Check every link and anchor of a built site over HTTP, as a reader's browser follows them.

Usage: ``python deploy/linkcheck.py [SITE_FOLDER]`` (``make linkcheck``; the folder defaults to
``site``). The folder is served on a free 127.0.0.1 port by Python's http.server and LinkChecker
crawls it from the home page with its AnchorCheck plugin (``deploy/linkcheckerrc``), so a page that
does not exist and a ``#fragment`` that names nothing on its page both fail. Links to other hosts
are not followed (the build makes none that a reader needs to work offline). Checking ``file://``
URLs instead would miss links that leave the folder: LinkChecker marks those "filtered", not broken.
Exit code: 0 when every link works, otherwise LinkChecker's (1).
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

CONFIG = Path(__file__).with_name("linkcheckerrc")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # LinkChecker makes more than 10 requests a second only to a server that sends this header.
        self.send_header("LinkChecker", "allowed")
        super().end_headers()

    def log_message(self, *_: object) -> None:
        pass


def check(site: Path) -> int:
    """LinkChecker's exit code for the site in ``site`` served over HTTP."""
    if not (site / "index.html").is_file():
        print(f"错误\uff1a{site} 中没有已构建的网站\uff08先运行 make site\uff09", file=sys.stderr)
        return 1
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        linkchecker = Path(sys.executable).with_name("linkchecker")
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        return subprocess.run([str(linkchecker), "--config", str(CONFIG), "--no-status", url], check=False).returncode
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    sys.exit(check(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("site")))
