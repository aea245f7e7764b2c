"""Documents encrypted at rest (issue 18): each file under a key of its own, that key kept only
wrapped by a deployment key (APP_DOCUMENT_KEYS) in the document's row.

The file is sealed in segments of 64 KiB with AES-256-GCM, so that a download is decrypted and
sent a segment at a time (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár, as
Tink's streaming AEAD uses it): each segment's nonce is the file's random prefix, the segment's
number and whether it is the last, so that segments cannot be reordered, dropped or the file cut
short without the decryption failing. Every segment and the wrapped key are bound to the
document's id (the associated data): a sealed file copied under another document's row does not
open. A file whose row is gone (erased, or a failed upload) cannot be opened by anyone.
"""

import base64
import hashlib
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SEGMENT = 64 * 1024  # plaintext bytes per segment
_TAG = 16
_MAGIC = b"VOTDOC1"  # the format's name and version, at the start of every sealed file
_PREFIX = 7  # random bytes of each file's nonces (with 4 of the segment number and 1 of "last")


class BrokenSeal(Exception):
    """The sealed file is not the one its row describes, or was changed."""


@dataclass(frozen=True)
class Keyring:
    """The deployment's keys: the first wraps new files' keys, any unwraps."""

    keys: tuple[bytes, ...]

    @classmethod
    def of(cls, encoded: list[str]) -> "Keyring":
        return cls(tuple(base64.b64decode(key) for key in encoded))

    @property
    def current_id(self) -> str:
        return key_id(self.keys[0])

    def by_id(self, wanted: str) -> bytes:
        for key in self.keys:
            if key_id(key) == wanted:
                return key
        raise BrokenSeal(f"no key {wanted} among APP_DOCUMENT_KEYS")


def key_id(key: bytes) -> str:
    """A deployment key's name in the rows it wrapped: not the key, nor enough to find it."""
    return hashlib.sha256(b"document key id:" + key).hexdigest()[:16]


def new_file_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(keyring: Keyring, file_key: bytes, document_id: UUID) -> tuple[str, str]:
    """The file's key sealed under the current deployment key: (that key's id, the wrapped key)."""
    nonce = os.urandom(12)
    sealed = AESGCM(keyring.keys[0]).encrypt(nonce, file_key, document_id.bytes)
    return keyring.current_id, base64.b64encode(nonce + sealed).decode()


def unwrap(keyring: Keyring, wrapping_key_id: str, wrapped: str, document_id: UUID) -> bytes:
    raw = base64.b64decode(wrapped)
    try:
        return AESGCM(keyring.by_id(wrapping_key_id)).decrypt(raw[:12], raw[12:], document_id.bytes)
    except InvalidTag:
        raise BrokenSeal("the file's key does not unwrap") from None


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + number.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def seal(file_key: bytes, content: bytes, document_id: UUID) -> Iterator[bytes]:
    """The sealed file, a header then one encrypted segment at a time."""
    prefix = os.urandom(_PREFIX)
    yield _MAGIC + prefix
    aead = AESGCM(file_key)
    count = max(1, -(-len(content) // SEGMENT))
    for number in range(count):
        segment = content[number * SEGMENT : (number + 1) * SEGMENT]
        nonce = _nonce(prefix, number, number == count - 1)
        yield aead.encrypt(nonce, segment, document_id.bytes)


async def unseal(
    file_key: bytes, sealed: AsyncIterator[bytes], document_id: UUID
) -> AsyncIterator[bytes]:
    """The file's content, a segment at a time, as the sealed bytes arrive in any chunks. A
    segment is opened only once the next one has begun (or the file ended), for only then is
    it known whether it is the last."""
    aead, buffer, prefix, number = AESGCM(file_key), b"", None, 0
    width = SEGMENT + _TAG
    async for chunk in sealed:
        buffer += chunk
        if prefix is None:
            if len(buffer) < len(_MAGIC) + _PREFIX:
                continue
            if not buffer.startswith(_MAGIC):
                raise BrokenSeal("not a sealed document")
            prefix, buffer = (
                buffer[len(_MAGIC) : len(_MAGIC) + _PREFIX],
                buffer[len(_MAGIC) + _PREFIX :],
            )
        while len(buffer) > width:
            yield _open(aead, _nonce(prefix, number, False), buffer[:width], document_id)
            buffer, number = buffer[width:], number + 1
    if prefix is None:
        raise BrokenSeal("not a sealed document")
    yield _open(aead, _nonce(prefix, number, True), buffer, document_id)


def _open(aead: AESGCM, nonce: bytes, segment: bytes, document_id: UUID) -> bytes:
    try:
        return aead.decrypt(nonce, segment, document_id.bytes)
    except InvalidTag:
        raise BrokenSeal("a segment does not open: the file was changed or cut short") from None
