"""A webhook delivery pinned to the address that was checked, over real TLS: a local HTTPS server
with a certificate for a name (signed by a CA of the test's own), reached by its address, with
the name as SNI and as the Host header; the certificate is verified against the name. The name
is under .invalid, which never resolves: the request cannot have looked it up."""

import asyncio
import datetime
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.integrations.http import Outgoing, post

NAME = "partner.vot.invalid"


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate | None = None,
    issuer_key: ec.EllipticCurvePrivateKey | None = None,
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    is_ca = issuer is None
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name if issuer is None else issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not is_ca,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=is_ca,
                crl_sign=is_ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if issuer is not None:
        builder = (
            builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_public_key(issuer)),
                critical=False,
            )
            .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def ca_public_key(issuer: x509.Certificate) -> ec.EllipticCurvePublicKey:
    key = issuer.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return key


@dataclass
class TlsServer:
    """Answers 200 to each request, and keeps the SNI name of each handshake and the Host header
    of each request."""

    port: int = 0
    sni: list[str | None] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    connections: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                lines = head.decode("latin-1").split("\r\n")
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                self.hosts.append(headers.get("Host", ""))
                await reader.readexactly(int(headers.get("Content-Length", "0")))
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def tls(tmp_path: Path) -> AsyncIterator[tuple[TlsServer, ssl.SSLContext]]:
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca = _certificate("VoT test CA", ca_key)
    leaf = _certificate(NAME, leaf_key, ca, ca_key)
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = TlsServer()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)

    def keep_sni(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        server.sni.append(name)

    context.sni_callback = keep_sni
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=context)
    server.port = listening.sockets[0].getsockname()[1]
    trusting = ssl.create_default_context(
        cadata=ca.public_bytes(serialization.Encoding.PEM).decode()
    )
    try:
        yield server, trusting
    finally:
        listening.close()
        await listening.wait_closed()


def delivery(url: str, *addresses: str) -> Outgoing:
    headers = {"Content-Type": "application/json"}
    return Outgoing(url, b"{}", headers, addresses=addresses or ("127.0.0.1",))


async def test_a_pinned_delivery_reaches_the_address_with_the_name_as_sni_and_host(
    tls: tuple[TlsServer, ssl.SSLContext],
) -> None:
    server, trusting = tls
    async with httpx.AsyncClient(verify=trusting) as client:
        for _ in range(2):
            answer = await post(client, delivery(f"https://{NAME}:{server.port}/events"), 5)
            assert (answer.status_code, answer.error) == (200, None)
    assert server.sni == [NAME, NAME]
    assert server.hosts == [f"{NAME}:{server.port}"] * 2
    assert server.connections == 2  # Connection: close: none kept for another name


async def test_an_address_that_refuses_the_connection_is_followed_by_the_next_one(
    tls: tuple[TlsServer, ssl.SSLContext],
) -> None:
    """As a client connecting to a name tries its addresses in turn: nothing listens on
    127.0.0.2 (loopback too, on Linux), so the delivery goes to 127.0.0.1, the next checked."""
    server, trusting = tls
    url = f"https://{NAME}:{server.port}/events"
    async with httpx.AsyncClient(verify=trusting) as client:
        answer = await post(client, delivery(url, "127.0.0.2", "127.0.0.1"), 5)
    assert answer.status_code == 200
    assert server.sni == [NAME] and server.connections == 1


async def test_the_certificate_is_verified_against_the_name_not_the_address(
    tls: tuple[TlsServer, ssl.SSLContext],
) -> None:
    """The certificate names partner.vot.invalid, and neither 127.0.0.1 nor another name: a
    delivery for another name at the same address fails its handshake."""
    server, trusting = tls
    async with httpx.AsyncClient(verify=trusting) as client:
        answer = await post(client, delivery(f"https://other.vot.invalid:{server.port}/e"), 5)
    assert answer.status_code is None
    assert answer.error == "connection failed: ConnectError"
    assert server.sni == ["other.vot.invalid"] and server.hosts == []


async def test_without_the_test_ca_the_certificate_is_refused(
    tls: tuple[TlsServer, ssl.SSLContext],
) -> None:
    """The pinned request keeps httpx's verification: a certificate no trusted CA signed fails."""
    server, _ = tls
    async with httpx.AsyncClient() as client:
        answer = await post(client, delivery(f"https://{NAME}:{server.port}/events"), 5)
    assert answer.status_code is None and server.hosts == []
