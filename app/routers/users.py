from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

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
from app.schemas.common import Page
from app.schemas.users import ConfidentialityAgreement, UserCreate, UserRead, UserUpdate
from app.security import Principal
from app.services import forms, users

router = resource_router("/users", "users")
Admin = Annotated[Principal, require(Action.USER_MANAGE)]
# MAN-STAFF-CONFIDENTIALITY: the admin, or the member's shelter manager
Countersigner = Annotated[Principal, require(Action.CONFIDENTIALITY_RECORD)]


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
) -> UserRead:
    user = await users.deactivate_user(session, principal, user, clock.now())
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
