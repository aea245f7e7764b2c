"""The signed papers of a person's file (issue 18): upload, list, read, download."""

from typing import Annotated
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, File, Path, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from app.deps import Idempotency, PageDep, SessionDep, VisibleVictim, require
from app.domain.access import Action
from app.domain.documents import MAX_BYTES, DocumentKind, Link, MediaType
from app.routers.common import created
from app.routing import BodyFirst, problem_responses
from app.schemas.common import Page
from app.schemas.documents import DocumentRead
from app.security import Principal
from app.services import documents, records

router = APIRouter(
    prefix="/victims/{victim_id}/documents", tags=["documents"], route_class=BodyFirst
)
Reader = Annotated[Principal, require(Action.DOCUMENT_READ)]
_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE_CONTENT = {media.value: _BINARY for media in MediaType}
Uploader = Annotated[Principal, require(Action.DOCUMENT_UPLOAD)]


class DocumentUpload(BaseModel):
    """The multipart form of an upload. It holds the uploaded file (a framework type), so it is
    declared with its route."""

    model_config = ConfigDict(extra="forbid")

    file: UploadFile = Field(
        description=f"A PDF, JPEG or PNG file (told from its content), at most {MAX_BYTES} bytes."
    )
    kind: DocumentKind
    stay_id: UUID | None = Field(None, description="The stay it belongs to (admission papers).")
    consent_id: UUID | None = Field(None, description="The consent a consent form records.")
    grant_id: UUID | None = Field(None, description="The grant a financial agreement is of.")
    monitoring_report_id: UUID | None = Field(None, description="The Annex 7 report it is of.")
    identity_document_id: UUID | None = Field(None, description="The identity document scanned.")

    def links(self) -> dict[Link, UUID]:
        return {link: value for link in Link if (value := getattr(self, link.value)) is not None}


@router.post(
    "",
    status_code=201,
    summary="Upload a signed paper of the person's file (encrypted at rest)",
    responses=problem_responses(409, 413, 415),
)
async def upload_document(
    principal: Uploader,
    victim: VisibleVictim,
    form: Annotated[DocumentUpload, File()],
    session: SessionDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> DocumentRead:
    content = await form.file.read(MAX_BYTES + 1)
    document = await documents.upload(
        session,
        principal,
        victim,
        form.kind,
        form.links(),
        form.file.filename or "",
        content,
        request.app.state.file_store,
        request.app.state.keyring,
    )
    ids = {"victim_id": str(victim.id), "document_id": str(document.id)}
    created(request, response, "get_document", 1, **ids)
    return DocumentRead.model_validate(document)


@router.get("", summary="The person's documents, of the kinds the caller reads")
async def list_documents(
    principal: Reader, victim: VisibleVictim, session: SessionDep, page: PageDep
) -> Page[DocumentRead]:
    found, cursor = await documents.list_of(session, principal, victim, page)
    return Page(items=[DocumentRead.model_validate(d) for d in found], next_cursor=cursor)


@router.get("/{document_id}", summary="Read what is said of one document")
async def get_document(
    principal: Reader,
    victim: VisibleVictim,
    session: SessionDep,
    document_id: Annotated[UUID, Path()],
) -> DocumentRead:
    document = await documents.get_visible(session, principal, victim, document_id)
    records.audit_read(session, principal, document)
    return DocumentRead.model_validate(document)


@router.get(
    "/{document_id}/content",
    summary="Download the document's file, as it was uploaded (audited)",
    response_class=StreamingResponse,
    responses={200: {"content": _FILE_CONTENT, "description": "The file, decrypted as sent"}},
)
async def download_document(
    principal: Reader,
    victim: VisibleVictim,
    session: SessionDep,
    request: Request,
    document_id: Annotated[UUID, Path()],
) -> StreamingResponse:
    document = await documents.get_visible(session, principal, victim, document_id)
    content = await documents.content_of(
        session, principal, document, request.app.state.file_store, request.app.state.keyring
    )
    disposition = f"attachment; filename*=UTF-8''{quote(document.filename, safe='')}"
    headers = {"Content-Disposition": disposition, "Content-Length": str(document.size_bytes)}
    return StreamingResponse(content, media_type=document.media_type.value, headers=headers)
