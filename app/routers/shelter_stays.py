from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    FormLanguage,
    Idempotency,
    IfMatch,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleStay,
    require,
)
from app.domain.access import Action
from app.domain.shelter import StayStatus
from app.errors import NotFound
from app.routers.common import PDF_FORM, created, pdf_form, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.shelter_stays import (
    MonitoringReportCreate,
    MonitoringReportRead,
    StayAdmit,
    StayCreate,
    StayDischarge,
    StayRead,
    StayUpdate,
)
from app.security import Principal
from app.services import forms, records, shelter_stays

router = resource_router("/shelter-stays", "shelter stays")
Reader = Annotated[Principal, require(Action.STAY_READ)]
Staff = Annotated[Principal, require(Action.STAY_PROPOSE)]
Reporter = Annotated[Principal, require(Action.MONITORING_REPORT)]
Admitter = Annotated[Principal, require(Action.STAY_ADMIT)]


@router.get("", summary="List shelter stays of the persons the caller sees")
async def list_shelter_stays(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    shelter_id: UUID | None = None,
    status: StayStatus | None = None,
    victim_id: UUID | None = None,
) -> Page[StayRead]:
    items, cursor = await shelter_stays.list_visible(
        session, principal, page, shelter_id, status, victim_id
    )
    return Page(items=[StayRead.model_validate(s) for s in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Propose a stay, on the day it was proposed (the shelter's staff; MAN-ELIGIBILITY, "
    "MAN-ONE-STAY, MAN-POCKET-MONEY)",
)
async def propose_shelter_stay(
    principal: Staff,
    body: StayCreate,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> StayRead:
    stay = await shelter_stays.propose(session, principal, body, clock.today(), rulebook)
    created(request, response, "get_shelter_stay", stay.version, stay_id=str(stay.id))
    return StayRead.model_validate(stay)


@router.get("/{stay_id}", summary="Read a shelter stay")
async def get_shelter_stay(
    principal: Reader, stay: VisibleStay, session: SessionDep, response: Response
) -> StayRead:
    records.audit_read(session, principal, stay)
    set_etag(response, stay.version)
    return StayRead.model_validate(stay)


@router.patch("/{stay_id}", summary="Record signatures, justification or pocket money")
async def update_shelter_stay(
    principal: Staff,
    stay: VisibleStay,
    body: StayUpdate,
    if_match: IfMatch,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
) -> StayRead:
    stay = await shelter_stays.update(
        session, principal, stay, body, if_match, clock.today(), rulebook
    )
    set_etag(response, stay.version)
    return StayRead.model_validate(stay)


@router.post(
    "/{stay_id}/admit",
    summary="Admit (the coordinator; MAN-ADMISSION-AGREED, MAN-ADMISSION-DOCS, "
    "MAN-PRIMARY-INTERVIEW, MAN-CAPACITY)",
)
async def admit_shelter_stay(
    principal: Admitter,
    stay: VisibleStay,
    body: StayAdmit,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> StayRead:
    stay = await shelter_stays.admit(
        session, principal, stay, body.admitted_on, clock.today(), rulebook
    )
    set_etag(response, stay.version)
    return StayRead.model_validate(stay)


@router.post(
    "/{stay_id}/discharge",
    summary="Discharge with the exit information: a follow-up contact, and monitoring six "
    "months on (MAN-EXIT, MAN-MONITORING-6M)",
)
async def discharge_shelter_stay(
    principal: Staff,
    stay: VisibleStay,
    body: StayDischarge,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> StayRead:
    stay = await shelter_stays.discharge(session, principal, stay, body, clock.today(), rulebook)
    set_etag(response, stay.version)
    return StayRead.model_validate(stay)


@router.post("/{stay_id}/withdraw", summary="Withdraw a proposed stay")
async def withdraw_shelter_stay(
    principal: Staff, stay: VisibleStay, session: SessionDep, response: Response, _key: Idempotency
) -> StayRead:
    stay = await shelter_stays.withdraw(session, principal, stay)
    set_etag(response, stay.version)
    return StayRead.model_validate(stay)


@router.post(
    "/{stay_id}/monitoring-report",
    status_code=201,
    summary="Record the Annex 7 monitoring report, from six months after discharge "
    "(MAN-MONITORING-6M)",
)
async def report_shelter_stay_monitoring(
    principal: Reporter,
    stay: VisibleStay,
    body: MonitoringReportCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> MonitoringReportRead:
    report = await shelter_stays.report_monitoring(session, principal, stay, body, clock.today())
    response.headers["Location"] = request.app.url_path_for(
        "get_shelter_stay_monitoring_report", stay_id=str(stay.id)
    )
    return MonitoringReportRead.model_validate(report)


@router.get(
    "/{stay_id}/form.pdf",
    summary="Print the admission papers (Annexes 2–3) for the resident to sign",
    response_class=Response,
    responses=PDF_FORM,
)
async def print_shelter_stay_form(
    principal: Reader, stay: VisibleStay, session: SessionDep, language: FormLanguage
) -> Response:
    content = await forms.admission_papers(session, principal, stay, language)
    return pdf_form(content, f"admission-papers-{language}")


@router.get(
    "/{stay_id}/monitoring-report/form.pdf",
    summary="Print the monitoring report (Annex 7), filled in",
    response_class=Response,
    responses=PDF_FORM,
)
async def print_shelter_stay_monitoring_form(
    principal: Reader, stay: VisibleStay, session: SessionDep, language: FormLanguage
) -> Response:
    content = await forms.monitoring_form(session, principal, stay, language)
    return pdf_form(content, f"monitoring-report-{language}")


@router.get("/{stay_id}/monitoring-report", summary="Read the stay's monitoring report")
async def get_shelter_stay_monitoring_report(
    principal: Reader, stay: VisibleStay, session: SessionDep
) -> MonitoringReportRead:
    report = await shelter_stays.monitoring_report_of(session, principal, stay)
    if report is None:
        raise NotFound("No monitoring report has been recorded for this stay.")
    return MonitoringReportRead.model_validate(report)
