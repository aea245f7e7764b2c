"""OAuth2 token endpoint (password, client_credentials, refresh_token), revocation, and "me"."""

from typing import Annotated

from fastapi import APIRouter, Form, Request

from app.deps import ClockDep, CurrentPrincipal, SessionDep, SettingsDep
from app.routing import problem_responses
from app.schemas.auth import MeRead, RevokeRequest, TokenRequest, TokenResponse
from app.services import auth

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/token",
    summary="Get an access token (password, client_credentials or refresh_token grant)",
    responses=problem_responses(401, 413, 422, 429),
)
async def issue_token(
    form: Annotated[TokenRequest, Form()],
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    request: Request,
) -> TokenResponse:
    address = request.client.host if request.client else "unknown"
    issued = await auth.grant(session, settings, clock.now(), form, address)
    return TokenResponse(
        access_token=issued.access_token,
        expires_in=issued.expires_in,
        refresh_token=issued.refresh_token,
    )


@router.post(
    "/revoke",
    status_code=204,
    summary="Sign out: revoke a refresh token and its whole family",
    responses=problem_responses(413, 422),
)
async def revoke_token(
    form: Annotated[RevokeRequest, Form()], session: SessionDep, clock: ClockDep
) -> None:
    await auth.revoke(session, clock.now(), form.token)


@router.get("/me", summary="Who the token speaks for", responses=problem_responses(401))
async def get_current_caller(principal: CurrentPrincipal, session: SessionDep) -> MeRead:
    return await auth.describe(session, principal)
