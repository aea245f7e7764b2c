from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response

from app.deps import (
    ClockDep,
    ExistingUser,
    FormLanguage,
    Idempotency,
    IfMatch,
    PageDep,
    SessionDep,
    require,
)
from app.domain.access import Action, Role
from app.routers.common import PDF_FORM, created, pdf_form, resource_router, set_etag
from app.schemas.caseload import (
    CaseloadTransfer,
    CaseloadTransferRead,
    HeldWorkRead,
    OpenWorkRead,
)
from app.schemas.common import Page
from app.schemas.users import ConfidentialityAgreement, UserCreate, UserRead, UserUpdate
from app.security import Principal
from app.services import caseload, forms, users

router = resource_router("/users", "users")
Admin = Annotated[Principal, require(Action.USER_MANAGE)]
# MAN-STAFF-CONFIDENTIALITY: the admin, or the member's shelter manager
Countersigner = Annotated[Principal, require(Action.CONFIDENTIALITY_RECORD)]
# CASELOAD-TRANSFER: the shelter manager, in their organisation, or the coordinator
Transferrer = Annotated[Principal, require(Action.CASELOAD_TRANSFER)]


@router.get("", summary="List user accounts")
async def list_users(
    _: Admin,
    session: SessionDep,
    page: PageDep,
    organisation_id: UUID | None = None,
    role: Role | None = None,
) -> Page[UserRead]:
    items, cursor = await users.list_users(session, page, organisation_id, role)
    return Page(items=[UserRead.model_validate(u) for u in items], next_cursor=cursor)


@router.post("", status_code=201, summary="Create a user account")
async def create_user(
    principal: Admin,
    body: UserCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> UserRead:
    user = await users.create_user(session, principal, body, clock.today())
    created(request, response, "get_user", user.version, user_id=str(user.id))
    return UserRead.model_validate(user)


@router.get("/{user_id}", summary="Read a user account")
async def get_user(_: Admin, user: ExistingUser, response: Response) -> UserRead:
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.patch("/{user_id}", summary="Change a user's password, role or organisation")
async def update_user(
    principal: Admin,
    user: ExistingUser,
    body: UserUpdate,
    if_match: IfMatch,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
) -> UserRead:
    user = await users.update_user(session, principal, user, body, if_match, clock.now())
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.post("/{user_id}/deactivate", summary="Deactivate a user; their tokens stop working")
async def deactivate_user(
    principal: Admin,
    user: ExistingUser,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
    move_open_work_to_manager: Annotated[
        bool,
        Query(
            description="CASELOAD-TRANSFER: a user holding open work is refused (409 "
            "open_work, with the list) unless this moves it to the organisation's shelter "
            "manager, in the same transaction."
        ),
    ] = False,
) -> UserRead:
    user = await users.deactivate_user(
        session, principal, user, clock.now(), clock.today(), move_open_work_to_manager
    )
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.get(
    "/{user_id}/confidentiality-agreement/form.pdf",
    summary="Print the Staff Confidentiality Agreement (Annex 4) for the member to sign",
    response_class=Response,
    responses=PDF_FORM,
)
async def print_confidentiality_agreement(
    principal: Countersigner, user: ExistingUser, session: SessionDep, language: FormLanguage
) -> Response:
    content = await forms.confidentiality_agreement(session, principal, user, language)
    return pdf_form(content, f"confidentiality-agreement-{language}")


@router.post(
    "/{user_id}/confidentiality-agreement",
    summary="Record a staff member's signed Staff Confidentiality Agreement (Annex 4)",
)
async def record_confidentiality_agreement(
    principal: Countersigner,
    user: ExistingUser,
    body: ConfidentialityAgreement,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> UserRead:
    user = await users.record_confidentiality_agreement(
        session, principal, user, body, clock.today()
    )
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.get("/{user_id}/open-work", summary="A worker's open work: cases held, drafts begun")
async def get_open_work(
    principal: Transferrer, user: ExistingUser, session: SessionDep
) -> OpenWorkRead:
    work, total = await caseload.open_work_of(session, principal, user)
    return OpenWorkRead(items=[HeldWorkRead.model_validate(w) for w in work], total=total)


@router.post(
    "/{user_id}/open-work/transfer",
    summary="Move a worker's open work to a colleague, a hundred records a call, all or none",
)
async def transfer_open_work(
    principal: Transferrer,
    user: ExistingUser,
    body: CaseloadTransfer,
    session: SessionDep,
    clock: ClockDep,
    _key: Idempotency,
) -> CaseloadTransferRead:
    moved = await caseload.transfer(session, principal, user, body.to_user_id, clock.today())
    return CaseloadTransferRead(
        moved=[HeldWorkRead.model_validate(w) for w in moved.moved], remaining=moved.remaining
    )
