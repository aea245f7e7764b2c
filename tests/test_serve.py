"""The API as `python -m app serve` runs it: no ``server`` header, and X-Forwarded-For believed
only from the proxies named in APP_TRUSTED_PROXIES (uvicorn believes loopback's by default, so
any process on the host could forge the address the audit trail records)."""

from pathlib import Path

import httpx
import pytest

from app.cli import server_options
from app.config import Settings
from tests.processes import serving

ROOT = Path(__file__).resolve().parent.parent
FORGED = "203.0.113.9"  # TEST-NET-3: nobody's address


def test_no_proxy_is_believed_unless_named() -> None:
    assert server_options(Settings()) == {
        "server_header": False,
        "proxy_headers": False,
        "forwarded_allow_ips": "",
        "timeout_keep_alive": 5,
    }
    named = server_options(Settings(trusted_proxies="10.0.0.5, 10.1.0.0/16"))
    assert (named["proxy_headers"], named["forwarded_allow_ips"]) == (
        True,
        ["10.0.0.5", "10.1.0.0/16"],
    )


@pytest.mark.parametrize(("trusted", "logged"), [("", "127.0.0.1"), ("127.0.0.1", FORGED)])
def test_the_served_api_names_no_server_and_believes_only_trusted_proxies(
    tmp_path: Path, trusted: str, logged: str
) -> None:
    with serving(tmp_path / "app.db", APP_TRUSTED_PROXIES=trusted) as (base, output):
        answer = httpx.get(f"{base}/health/live", headers={"X-Forwarded-For": FORGED})
        assert answer.status_code == 200
        assert "server" not in answer.headers
    access = [line for line in output if "/health/live" in line]
    assert access and logged in access[-1], output  # the last: the request that forged one
