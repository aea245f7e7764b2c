from typing import Annotated

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    IfMatch,
    PageDep,
    SessionDep,
    VisibleIdentityDocument,
    VisibleVictim,
    require,
)
from app.domain.access import Action
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.identity_documents import (
    IdentityDocumentCreate,
    IdentityDocumentRead,
    IdentityDocumentUpdate,
)
from app.security import Principal
from app.services import identity_documents, records

router = resource_router("/victims/{victim_id}/identity-documents", "identity documents")
Reader = Annotated[Principal, require(Action.IDENTITY_DOCUMENT_READ)]
Writer = Annotated[Principal, require(Action.IDENTITY_DOCUMENT_WRITE)]


@router.get("", summary="The person's identity documents and how far each is restored")
async def list_identity_documents(
    principal: Reader, victim: VisibleVictim, session: SessionDep, page: PageDep
) -> Page[IdentityDocumentRead]:
    found, cursor = await identity_documents.list_of(session, principal, victim, page)
    return Page(items=[IdentityDocumentRead.model_validate(d) for d in found], next_cursor=cursor)


@router.post("", status_code=201, summary="Track a document the person needs (MAN-IDENTITY)")
async def record_identity_document(
    principal: Writer,
    victim: VisibleVictim,
    body: IdentityDocumentCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> IdentityDocumentRead:
    document = await identity_documents.record(session, principal, victim, body, clock.today())
    ids = {"victim_id": str(victim.id), "identity_document_id": str(document.id)}
    created(request, response, "get_identity_document", document.version, **ids)
    return IdentityDocumentRead.model_validate(document)


@router.get("/{identity_document_id}", summary="Read one identity document")
async def get_identity_document(
    principal: Reader, document: VisibleIdentityDocument, session: SessionDep, response: Response
) -> IdentityDocumentRead:
    records.audit_read(session, principal, document)
    set_etag(response, document.version)
    return IdentityDocumentRead.model_validate(document)


@router.patch("/{identity_document_id}", summary="The document was applied for, or obtained")
async def move_identity_document_on(
    principal: Writer,
    document: VisibleIdentityDocument,
    body: IdentityDocumentUpdate,
    if_match: IfMatch,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> IdentityDocumentRead:
    document = await identity_documents.move_on(
        session, principal, document, body, if_match, clock.today()
    )
    set_etag(response, document.version)
    return IdentityDocumentRead.model_validate(document)
