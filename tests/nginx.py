"""Serve a built site with Debian's nginx and the shipped ``deploy/nginx.conf``, on 127.0.0.1.

Only the lines that name this machine are replaced (ports, site folder, certificate files); every
other line of the shipped file is used as it is. nginx runs in the foreground with its pid file,
logs and temporary folders in a scratch folder, so it needs no root and touches nothing in /etc.
The certificate is a throw-away self-signed one made with ``openssl``, so HTTPS (and with it HSTS)
is exercised for real. The nginx binary is ``$NGINX`` or the one on the PATH (``/usr/sbin`` too).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO

CONFIG = REPO / "deploy/nginx.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_binary() -> str:
    found = os.environ.get("NGINX") or shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise RuntimeError("需要 nginx\uff1aapt-get install nginx\uff08make test 以 root 或经 sudo 运行时会自动安装\uff09")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _replace(text: str, old: str, new: str, count: int) -> str:
    assert text.count(old) == count, f"deploy/nginx.conf should contain {old!r} {count} time(s)"
    return text.replace(old, new)


def site_config(*, root: Path, http_port: int, https_port: int, certificate: Path, key: Path) -> str:
    """The shipped server configuration with only its machine-specific lines replaced."""
    text = CONFIG.read_text(encoding="utf-8")
    text = _replace(text, "    listen [::]:80;\n", "", 1)
    text = _replace(text, "    listen [::]:443 ssl http2;\n", "", 1)
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{http_port};", 1)
    text = _replace(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1)
    text = _replace(text, "root /srv/hotline-archive/site;", f"root {root};", 1)
    text = _replace(text, "/etc/ssl/hotline-archive/fullchain.pem", str(certificate), 1)
    return _replace(text, "/etc/ssl/hotline-archive/privkey.pem", str(key), 1)


def _main_config(work: Path) -> str:
    # Debian's /etc/nginx/nginx.conf reduced to what a server block relies on, with every path
    # moved into the scratch folder. As root, workers would run as "nobody", who cannot read
    # pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        f"    access_log {work / 'access.log'};\n{temp}\n"
        f"    include {work / 'site.conf'};\n"
        "}\n"
    )


@dataclass(frozen=True)
class Nginx:
    """A running nginx: the HTTPS address of the site and the plain-HTTP one that redirects."""

    https_url: str
    http_url: str
    error_log: Path


def check_config(work: Path) -> str:
    """``nginx -t`` over the configuration in ``work``; its whole output (warnings included)."""
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def prepare(site: Path, work: Path) -> tuple[int, int]:
    """Write the configuration, the certificate and mime.types into ``work``; return the ports."""
    work.mkdir(parents=True, exist_ok=True)
    certificate, key = work / "cert.pem", work / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"),
            *("-keyout", str(key), "-out", str(certificate), "-days", "2", "-subj", "/CN=hotline.example.gov.cn"),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    # The shipped file includes "mime.types" relative to the configuration folder, as in /etc/nginx.
    shutil.copy(MIME_TYPES, work / "mime.types")
    http_port, https_port = _free_port(), _free_port()
    config = site_config(root=site, http_port=http_port, https_port=https_port, certificate=certificate, key=key)
    (work / "site.conf").write_text(config, encoding="utf-8")
    (work / "nginx.conf").write_text(_main_config(work), encoding="utf-8")
    return http_port, https_port


@contextmanager
def serve(site: Path, work: Path) -> Iterator[Nginx]:
    """nginx in the foreground over ``site`` until the block ends."""
    http_port, https_port = prepare(site, work)
    command = [nginx_binary(), "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    output = work / "nginx.out"
    with output.open("wb") as sink:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60  # a hang guard only: nginx starts in milliseconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {output.read_text(encoding='utf-8')}") from None
                time.sleep(0.05)
        yield Nginx(f"https://127.0.0.1:{https_port}/", f"http://127.0.0.1:{http_port}/", work / "error.log")
    finally:
        process.terminate()
        process.wait(timeout=60)
