"""The committed reverse proxy (deploy/nginx.conf) in front of the served API: TLS with the
name checked, a client that sends its headers byte by byte cut off while others are served,
a body over the limit refused before it reaches the app.

nginx comes from Debian's packages; `.ci/run` installs it. Without it (a developer's machine)
this module is skipped, never in CI (``CI`` set)."""

import contextlib
import getpass
import os
import re
import select
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import ROOT, free_port, serving, wait_until_answering

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
if NGINX is None and not os.environ.get("CI"):
    pytest.skip("nginx is not installed (apt-get install nginx-light)", allow_module_level=True)

NAME = "api.example.org"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
HEADER_TIMEOUT = 10  # client_header_timeout in deploy/nginx.conf


def _render(conf: str, sites: dict[str, str]) -> str:
    """The committed file with only its ``# site:`` lines set for this machine."""
    out = []
    for line in conf.splitlines():
        marked = re.search(r"#\s*site:\s*(.+)$", line)
        out.append(sites[marked.group(1).strip()] if marked else line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, ssl.SSLContext]]:
    assert NGINX is not None, "nginx is needed in CI"
    work = tmp_path_factory.mktemp("nginx")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={NAME}",
         "-addext", f"subjectAltName=DNS:{NAME}"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    with serving(work / "app.db", APP_TRUSTED_PROXIES="127.0.0.1") as (base, _):
        sites = {
            "user": f"user {getpass.getuser()};",
            "pid": f"pid {work / 'nginx.pid'};",
            "error log": f"error_log {work / 'error.log'} warn;",
            "access log": f"access_log {work / 'access.log'} no_query;",
            "body buffer": f"client_body_temp_path {work / 'body'};",
            "proxy buffer": f"proxy_temp_path {work / 'proxy'};",
            "upstream": f"server {base.removeprefix('http://')};",
            "plain listen": f"listen 127.0.0.1:{free_port()};",
            "tls listen": f"listen 127.0.0.1:{port} ssl;",
            "certificate": f"ssl_certificate {cert};",
            "key": f"ssl_certificate_key {key};",
        }
        conf = work / "nginx.conf"
        conf.write_text(_render((ROOT / "deploy" / "nginx.conf").read_text(), sites))
        command = [NGINX, "-c", str(conf), "-p", str(work), "-g", "daemon off;"]
        with subprocess.Popen(command, stderr=subprocess.PIPE) as nginx:  # noqa: S603
            try:
                wait_until_answering(f"https://127.0.0.1:{port}/health/live", nginx)
                yield port, ssl.create_default_context(cafile=str(cert))
            finally:
                nginx.terminate()
                nginx.wait(timeout=10)


def _connect(port: int, tls: ssl.SSLContext) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=HEADER_TIMEOUT * 3)
    return tls.wrap_socket(raw, server_hostname=NAME)  # SNI, and the name checked


def _get(port: int, tls: ssl.SSLContext, path: str = "/health/live") -> bytes:
    with _connect(port, tls) as conn:
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: {NAME}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer


def test_tls_for_the_name_only(proxied: tuple[int, ssl.SSLContext]) -> None:
    port, tls = proxied
    assert _get(port, tls).startswith(b"HTTP/1.1 200")
    with pytest.raises(ssl.SSLCertVerificationError):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        tls.wrap_socket(raw, server_hostname="another.example.org").close()


def _given_up(conn: ssl.SSLSocket) -> bool:
    """The server ended the connection (or answered it): the request was never complete. A
    TLS 1.3 session ticket makes the socket readable too, with nothing for the application."""
    readable, _, _ = select.select([conn], [], [], 0)
    if not readable:
        return False
    conn.setblocking(False)
    try:
        conn.recv(1024)
    except ssl.SSLWantReadError:
        return False
    except (OSError, ssl.SSLError):
        return True
    finally:
        conn.setblocking(True)
    return True


def test_a_slow_header_client_is_cut_off_while_others_are_served(
    proxied: tuple[int, ssl.SSLContext],
) -> None:
    port, tls = proxied
    request = f"GET /health/live HTTP/1.1\r\nHost: {NAME}\r\nX-Slow: {'x' * 400}".encode()
    served, cut_after = 0, None
    with _connect(port, tls) as slow:
        started = time.monotonic()
        for byte in request:  # a byte every quarter second: never a whole header
            with contextlib.suppress(OSError, ssl.SSLError):
                slow.sendall(bytes([byte]))
            if _given_up(slow):
                cut_after = time.monotonic() - started
                break
            served += _get(port, tls).startswith(b"HTTP/1.1 200")
            time.sleep(0.25)
    assert cut_after is not None, "the slow client was never cut off"
    assert HEADER_TIMEOUT - 1 < cut_after < HEADER_TIMEOUT + 3, cut_after
    assert served >= 10  # the others were answered all along


def test_a_body_over_the_limit_stops_at_the_proxy(proxied: tuple[int, ssl.SSLContext]) -> None:
    port, tls = proxied
    with _connect(port, tls) as conn:
        size = 2 * 1024 * 1024
        conn.sendall(
            f"POST /api/v1/victims HTTP/1.1\r\nHost: {NAME}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode()
        )
        assert conn.recv(65536).startswith(b"HTTP/1.1 413")
