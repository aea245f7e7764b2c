from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleJobReferral, require
from app.domain.access import Action
from app.domain.exchange import JobReferralStatus
from app.presenters import present_job_referral, present_to_scme
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.job_referrals import (
    JobReferralCreate,
    JobReferralEventCreate,
    JobReferralRead,
    ScmeJobReferralRead,
)
from app.security import Principal
from app.services import job_referrals

router = resource_router("/job-referrals", "job referrals")
Reader = Annotated[Principal, require(Action.JOB_REFERRAL_READ)]
Referrer = Annotated[Principal, require(Action.JOB_REFERRAL_CREATE)]
Reporter = Annotated[Principal, require(Action.JOB_REFERRAL_REPORT)]
JobReferralView = JobReferralRead | ScmeJobReferralRead


@router.get(
    "",
    summary="List job referrals: a person's case workers see theirs, SCME those sent to it",
)
async def list_job_referrals(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: JobReferralStatus | None = None,
    victim_id: UUID | None = None,
) -> Page[JobReferralView]:
    files, cursor = await job_referrals.list_visible(session, principal, page, status, victim_id)
    items = [present_job_referral(f, principal.role) for f in files]
    return Page(items=items, next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Refer a person to SCME for a job, with their consent (MAN-SCME-PRIORITY)",
)
async def create_job_referral(
    principal: Referrer,
    body: JobReferralCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> JobReferralRead:
    referral = await job_referrals.create(session, principal, body, clock.now())
    ids = {"job_referral_id": str(referral.id)}
    created(request, response, "get_job_referral", referral.version, **ids)
    return JobReferralRead.model_validate(referral)


@router.get("/{job_referral_id}", summary="Read a job referral")
async def get_job_referral(
    principal: Reader, referral: VisibleJobReferral, session: SessionDep, response: Response
) -> JobReferralView:
    file = await job_referrals.read(session, principal, referral)
    set_etag(response, referral.version)
    return present_job_referral(file, principal.role)


@router.post(
    "/{job_referral_id}/events",
    summary="SCME reports progress: acknowledged, interview, placed, closed (idempotent by "
    "event_id)",
)
async def report_job_referral_event(
    principal: Reporter,
    referral: VisibleJobReferral,
    body: JobReferralEventCreate,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ScmeJobReferralRead:
    referral = await job_referrals.report_event(session, principal, referral, body, clock.today())
    file = await job_referrals.read(session, principal, referral)
    set_etag(response, referral.version)
    return present_to_scme(file)
