"""The signed papers of a person's file (issue 18): uploaded, listed and downloaded as the
record they belong to is read; sealed under a key of their own (services/sealed_files.py) and
kept outside the database (services/file_store.py).

Nothing of a refused upload is kept: the file is checked whole (its type from its content, that
it is not cut short, the limits, the record it is attached to) before anything is written. An
accepted file is written before its row, and deleted again if the row cannot be; should the
commit itself fail later, the file left behind cannot be opened by anyone (its key was only in
the row), and ``sweep`` deletes it.
"""

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime
from uuid import UUID

import filetype  # type: ignore[import-untyped]
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import reads_document, uploads_document
from app.domain.closure import check_in_work
from app.domain.documents import (
    ADMISSION_FORMS,
    MAX_BYTES,
    DocumentKind,
    Link,
    MediaType,
    check_links,
    check_room,
    is_whole,
)
from app.domain.errors import InvalidValue
from app.errors import (
    BrokenFile,
    DocumentUnavailable,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    UnsupportedFileType,
)
from app.models import (
    Consent,
    Document,
    IdentityDocument,
    MonitoringReport,
    ReintegrationGrant,
    ShelterStay,
    Victim,
)
from app.models.base import new_id
from app.security import Principal
from app.services import audit, records
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.file_store import FileStore
from app.services.pagination import PageParams, fetch_page
from app.services.sealed_files import (
    BrokenSeal,
    Keyring,
    new_file_key,
    seal,
    unseal,
    unwrap,
    wrap,
)

log = logging.getLogger(__name__)
RECORD_TYPE = "document"
_LINKED: Mapping[Link, type[SQLModel]] = {
    Link.STAY: ShelterStay,
    Link.CONSENT: Consent,
    Link.GRANT: ReintegrationGrant,
    Link.MONITORING_REPORT: MonitoringReport,
    Link.IDENTITY_DOCUMENT: IdentityDocument,
}


def identify(content: bytes) -> MediaType:
    """The file's type from its first bytes (``filetype``), never from its name: a PDF, a JPEG
    or a PNG, whole (its format's end marker is there: an upload cut short is refused)."""
    if len(content) > MAX_BYTES:
        raise PayloadTooLarge(f"A document is at most {MAX_BYTES} bytes.", max_bytes=MAX_BYTES)
    if not content:
        raise BrokenFile("The file is empty.")
    found = filetype.guess_mime(content[:8192])
    if found not in {media.value for media in MediaType}:
        raise UnsupportedFileType("A document is a PDF, a JPEG or a PNG file.")
    media_type = MediaType(found)
    if not is_whole(media_type, content[-2048:]):
        raise BrokenFile("The file is cut short: upload it again.")
    return media_type


async def upload(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    kind: DocumentKind,
    links: Mapping[Link, UUID],
    filename: str,
    content: bytes,
    store: FileStore,
    keyring: Keyring,
) -> Document:
    """DOC-LIMITS: the file checked, then sealed into the store, then its row written."""
    if not uploads_document(principal.role, kind):
        raise Forbidden(f"A {principal.role} does not upload {kind.value} documents.")
    check_in_work(victim.status, "add records")
    check_links(kind, set(links))
    media_type = identify(content)
    for link, record_id in links.items():
        await _check_linked(session, victim, link, record_id)
    await locked(session, Victim, victim.id)  # uploads for one person count in turn
    check_room(await _count(session, victim.id))
    document_id, file_key = new_id(), new_file_key()
    key_id, wrapped_key = wrap(keyring, file_key, document_id)
    document = Document(
        id=document_id,
        victim_id=victim.id,
        organisation_id=principal.organisation,
        kind=kind,
        media_type=media_type,
        size_bytes=len(content),
        filename=_safe_name(filename),
        uploaded_by=principal.actor_id,
        stay_id=links.get(Link.STAY),
        consent_id=links.get(Link.CONSENT),
        grant_id=links.get(Link.GRANT),
        monitoring_report_id=links.get(Link.MONITORING_REPORT),
        identity_document_id=links.get(Link.IDENTITY_DOCUMENT),
        key_id=key_id,
        wrapped_key=wrapped_key,
    )
    await store.put(document.id.hex, seal(file_key, content, document.id))
    try:
        session.add(document)
        await session.flush()
    except BaseException:
        await store.delete(document.id.hex)  # no row, no file (nor the key to open it)
        raise
    records.audit_change(session, principal, document, AuditAction.CREATE)
    return document


async def _check_linked(session: AsyncSession, victim: Victim, link: Link, record_id: UUID) -> None:
    record = await session.get(_LINKED[link], record_id)
    if record is None or getattr(record, "victim_id", None) != victim.id:
        raise InvalidValue(link.value, "No record of this person has this id.")


async def _count(session: AsyncSession, victim_id: UUID) -> int:
    query = select(func.count()).where(col(Document.victim_id) == victim_id)
    return int((await session.exec(query)).one())


def _safe_name(filename: str) -> str:
    """The name as uploaded, without a folder, nor characters that would break a header."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"\r\n')
    return name.strip()[:255] or "document"


def readable_kinds(principal: Principal) -> list[DocumentKind]:
    return [kind for kind in DocumentKind if reads_document(principal.role, kind)]


async def list_of(
    session: AsyncSession, principal: Principal, victim: Victim, page: PageParams
) -> tuple[Sequence[Document], str | None]:
    """The person's documents of the kinds the caller reads (a medical paper as the health
    record, a financial agreement as the grant), newest first."""
    query = select(Document).where(
        col(Document.victim_id) == victim.id, col(Document.kind).in_(readable_kinds(principal))
    )
    found, cursor = await fetch_page(session, query, Document.id, page)
    audit.record_reads(session, principal, RECORD_TYPE, [(d.id, d.victim_id) for d in found])
    return found, cursor


async def get_visible(
    session: AsyncSession, principal: Principal, victim: Victim, document_id: UUID
) -> Document:
    """One of the person's documents, if the caller reads its kind (else as unknown as none)."""
    document = await session.get(Document, document_id)
    if (
        document is None
        or document.victim_id != victim.id
        or not reads_document(principal.role, document.kind)
    ):
        raise NotFound("No such document.")
    return document


async def content_of(
    session: AsyncSession,
    principal: Principal,
    document: Document,
    store: FileStore,
    keyring: Keyring,
) -> AsyncIterator[bytes]:
    """The file as uploaded, decrypted a segment at a time; the download is on the trail."""
    audit.record(
        session, principal, AuditAction.DOWNLOAD, RECORD_TYPE, document.id,
        victim_id=document.victim_id,
    )  # fmt: skip
    try:
        file_key = unwrap(keyring, document.key_id, document.wrapped_key, document.id)
        segments = unseal(file_key, store.read(document.id.hex), document.id)
        first = await anext(segments)  # a missing or broken file fails before the answer starts
    except (BrokenSeal, OSError) as exc:
        log.error("document %s cannot be read: %s", document.id, type(exc).__name__)
        raise DocumentUnavailable("The document's file cannot be read.") from None
    return _joined(first, segments)


async def _joined(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield first
    async for segment in rest:
        yield segment


async def admission_forms(session: AsyncSession, stay_id: UUID) -> set[DocumentKind]:
    """MAN-ADMISSION-DOCS: the signed admission forms uploaded for this stay."""
    query = select(Document.kind).where(
        col(Document.stay_id) == stay_id, col(Document.kind).in_(ADMISSION_FORMS)
    )
    return {DocumentKind(kind) for kind in (await session.exec(query)).all()}


async def stored_names(session: AsyncSession, victim_id: UUID) -> list[str]:
    """The names of the person's sealed files in the store (to delete them with the person)."""
    query = select(Document.id).where(col(Document.victim_id) == victim_id)
    return [document_id.hex for document_id in (await session.exec(query)).all()]


async def delete_files(store: FileStore, names: Sequence[str]) -> None:
    for name in names:
        await store.delete(name)


async def rewrap_batch(
    session: AsyncSession, keyring: Keyring, after: UUID | None, size: int = 500
) -> UUID | None:
    """The keys of the next ``size`` documents (in id order, after ``after``) that another
    deployment key wrapped, wrapped again under the current one: the files stay as they are
    (`python -m app documents rewrap`, after a new key was put first in APP_DOCUMENT_KEYS).
    The last one's id, or None when none is left."""
    query = select(Document).where(col(Document.key_id) != keyring.current_id)
    if after is not None:
        query = query.where(col(Document.id) > after)
    batch = list((await session.exec(query.order_by(col(Document.id)).limit(size))).all())
    for document in batch:
        file_key = unwrap(keyring, document.key_id, document.wrapped_key, document.id)
        document.key_id, document.wrapped_key = wrap(keyring, file_key, document.id)
        session.add(document)
    return batch[-1].id if batch else None


async def sweep(session: AsyncSession, store: FileStore, written_before: datetime) -> list[str]:
    """The store's files that no document's row names, written before ``written_before`` (an
    upload still in its transaction is younger): left by a commit that failed after the file
    was written. None of them can be opened (their keys were in the rows); they are deleted.
    `python -m app documents sweep` (run daily)."""
    orphans = []
    async for name, written in store.stored():
        if written < written_before:
            orphans.append(name)
    named = set()
    for start in range(0, len(orphans), 500):
        ids = [UUID(hex=name) for name in orphans[start : start + 500]]
        query = select(Document.id).where(col(Document.id).in_(ids))
        named |= {document_id.hex for document_id in (await session.exec(query)).all()}
    gone = [name for name in orphans if name not in named]
    await delete_files(store, gone)
    return gone
