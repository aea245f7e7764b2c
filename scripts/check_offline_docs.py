"""Check in a real headless browser that /docs and /redoc render without touching the internet.

Run the app in one terminal (`make run`, or `.venv/bin/uvicorn app.main:app --port 8000`), then:

    .venv/bin/python scripts/check_offline_docs.py [BASE_URL]   # default http://127.0.0.1:8000

Needs Debian's chromium (`apt-get install -y chromium`). For each page, chromium loads it with a
net log; every request the page made is listed by host. Requests chromium makes for itself
(update checks, Google sign-in probes, autofill) have no page initiator and are listed as ignored.
Exits 1 if the page sent any request to a host other than BASE_URL's, or the DOM lacks TITLE.
"""

# ruff: noqa: T201, S603  (a command-line tool: it prints, and it runs chromium)
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

TITLE = "VoT case management API"
NO_ORIGIN = "not an origin"  # the initiator of requests chromium makes for itself
HEADLESS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
QUIET = ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
FLAGS = [*HEADLESS, *QUIET, "--virtual-time-budget=10000", "--window-size=1280,2000", "--dump-dom"]


def requests_in(netlog: Path) -> tuple[list[str], list[str]]:
    """URLs the page requested, and URLs chromium requested on its own."""
    log = json.loads(netlog.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    page: list[str] = []
    browser: list[str] = []
    for event in log["events"]:
        params = event.get("params") or {}
        if event["type"] != start_job or "url" not in params:
            continue
        by_page = params.get("request_type") == "main frame" or params.get("initiator") != NO_ORIGIN
        (page if by_page else browser).append(params["url"])
    return page, browser


def check(base: str, path: str, chromium: str) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        netlog = Path(tmp) / "netlog.json"
        profile = f"--user-data-dir={tmp}/profile"
        cmd = [chromium, *FLAGS, profile, f"--log-net-log={netlog}", base + path]
        dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
        page, browser = requests_in(netlog)
    ok = TITLE in dom
    print(f"{path}: {'rendered' if ok else 'NOT RENDERED (title missing from DOM)'}")
    for url in page:
        if urlsplit(url).scheme in ("data", "blob"):
            continue
        outside = urlsplit(url).netloc != urlsplit(base).netloc
        ok &= not outside
        print(f"  {'EXTERNAL ' if outside else ''}{urlsplit(url).netloc}  {url}")
    for host in sorted({urlsplit(url).netloc for url in browser}):
        print(f"  ignored (chromium's own request): {host}")
    return ok


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found: apt-get install -y chromium", file=sys.stderr)
        return 2
    results = [check(base, path, chromium) for path in ("/docs", "/redoc")]
    print("OK: docs are offline" if all(results) else "FAIL")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
