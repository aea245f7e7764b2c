from typing import Annotated
from uuid import UUID

from fastapi import Query, Request
from fastapi.responses import Response, StreamingResponse

from app.deps import ClockDep, ExistingShelter, RulebookDep, SessionDep, require
from app.domain.access import Action
from app.domain.errors import InvalidValue
from app.domain.kpis import month_of, months_between
from app.presenters import kpi_csv, report_csv
from app.routers.common import CSV, resource_router
from app.schemas.reports import (
    AggregateReport,
    ComplianceReport,
    DeidentifiedDataset,
    KpiReport,
    MonthlyShelterReport,
)
from app.security import Principal
from app.services import aggregate, compliance, deidentified, kpis, shelter_report

router = resource_router("/reports", "reports")
ShelterReporter = Annotated[Principal, require(Action.REPORT_SHELTER)]
Coordinator = Annotated[Principal, require(Action.REPORT_COMPLIANCE)]
Aggregates = Annotated[Principal, require(Action.REPORT_AGGREGATE)]
KeyFigures = Annotated[Principal, require(Action.REPORT_KPI)]
Publisher = Annotated[Principal, require(Action.REPORT_DEIDENTIFIED)]
Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2026-10"])]


@router.get(
    "/shelters/{shelter_id}/monthly",
    summary="The shelter's monthly progress report (MAN 2.1.10), as JSON or CSV",
    response_model=MonthlyShelterReport,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
async def get_monthly_shelter_report(
    principal: ShelterReporter,
    shelter: ExistingShelter,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2026-10"])],
) -> MonthlyShelterReport | Response:
    year, number = (int(part) for part in month.split("-"))
    if not (1 <= number <= 12 and 1900 <= year <= 9998):
        raise InvalidValue("month", "A month is YYYY-MM, with MM from 01 to 12.", source="query")
    report = await shelter_report.monthly(session, principal, shelter, year, number, clock.zone)
    if CSV in request.headers.get("accept", ""):
        filename = f"shelter-report-{month}.csv"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(report_csv(report), media_type=CSV, headers=headers)
    return report


@router.get("/compliance", summary="What the procedures required and did not get, with the cases")
async def get_compliance_report(
    principal: Coordinator, session: SessionDep, clock: ClockDep
) -> ComplianceReport:
    return await compliance.report(session, principal, clock.today())


@router.get(
    "/aggregate",
    summary="Counts for donors, every cell below 5 suppressed (no person can be singled out)",
)
async def get_aggregate_report(
    _: Aggregates, session: SessionDep, clock: ClockDep
) -> AggregateReport:
    return await aggregate.report(session, clock.today())


@router.get(
    "/kpis",
    summary="Key figures per month and organisation, as JSON or CSV (small counts hidden "
    "from the auditor)",
    response_model=KpiReport,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
async def get_kpis(
    principal: KeyFigures,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    first: Annotated[str, Query(alias="from", pattern=r"^\d{4}-\d{2}$", examples=["2026-01"])],
    last: Annotated[str, Query(alias="to", pattern=r"^\d{4}-\d{2}$", examples=["2026-06"])],
    organisation_id: Annotated[
        UUID | None,
        Query(
            description="One organisation (the coordinator, the auditor); a shelter "
            "manager's is always their own."
        ),
    ] = None,
) -> KpiReport | Response:
    months = months_between(month_of(first, "from"), month_of(last, "to"))
    report = await kpis.report(session, principal, months, organisation_id, clock.zone)
    if CSV in request.headers.get("accept", ""):
        filename = f"kpis-{first}-{last}.csv"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(kpi_csv(report), media_type=CSV, headers=headers)
    return report


FirstYear = Annotated[
    int | None,
    Query(alias="from", ge=1900, le=9999, description="The first year of identification."),
]
LastYear = Annotated[
    int | None, Query(alias="to", ge=1900, le=9999, description="The last year of identification.")
]


@router.get(
    "/deidentified",
    summary="A de-identified dataset safe to publish: one record per person, every "
    "combination shared by at least k (DEID-K-ANONYMITY)",
    response_model=DeidentifiedDataset,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}},
)
async def get_deidentified_dataset(
    _: Publisher,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    k: Annotated[
        int | None, Query(le=1_000_000, description="Default: the rulebook's (11); never below 5.")
    ] = None,
    first: FirstYear = None,
    last: LastYear = None,
) -> DeidentifiedDataset | Response:
    deidentified.check_filters(request.query_params)
    found = await deidentified.dataset(session, rulebook, clock.today(), k, first, last)
    if CSV in request.headers.get("accept", ""):
        headers = {"Content-Disposition": 'attachment; filename="deidentified.csv"'}
        lines = deidentified.csv_lines(found.release)
        return StreamingResponse(lines, media_type=CSV, headers=headers)
    return deidentified.report(found)
