"""Cases out in the Human Trafficking Case Data Standard 2.0 (issue 20)."""

from typing import Annotated, Any

from fastapi import Request, Response

from app.deps import PageDep, SessionDep, VisibleVictim, require
from app.domain.access import Action
from app.routers.common import CSV, XLSX, resource_router
from app.schemas.htcds import HtcdsCase, HtcdsPage
from app.security import Principal
from app.services import htcds

router = resource_router("", "htcds")
CaseExporter = Annotated[Principal, require(Action.HTCDS_EXPORT)]
Exporter = Annotated[Principal, require(Action.HTCDS_EXPORT_ALL)]
FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            CSV: {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "As JSON; or, asked for with `Accept`, the page as CSV or as the "
        "toolkit's XLSX spreadsheet, the next page's address in `Link` (rel=next)",
    }
}


@router.get(
    "/victims/{victim_id}/htcds",
    summary="One case in the Human Trafficking Case Data Standard (with the data-processing "
    "consent)",
)
async def get_victim_htcds(
    principal: CaseExporter, victim: VisibleVictim, session: SessionDep
) -> HtcdsCase:
    return HtcdsCase.model_validate(await htcds.case_row(session, principal, victim))


@router.get(
    "/exports/htcds",
    summary="Every case whose person consented, in the HTCDS: JSON, CSV or the toolkit's XLSX",
    response_model=HtcdsPage,
    responses=FILES,
)
async def export_htcds(
    principal: Exporter, session: SessionDep, page: PageDep, request: Request
) -> HtcdsPage | Response:
    rows, cursor = await htcds.page(session, principal, page)
    accept = request.headers.get("accept", "")
    if XLSX not in accept and CSV not in accept:
        return HtcdsPage(items=[HtcdsCase.model_validate(row) for row in rows], next_cursor=cursor)
    headers = {}
    if cursor is not None:
        following = request.url.include_query_params(cursor=cursor)
        headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
    if XLSX in accept:
        headers["Content-Disposition"] = 'attachment; filename="htcds-cases.xlsx"'
        return Response(htcds.as_xlsx(rows), media_type=XLSX, headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="htcds-cases.csv"'
    return Response(htcds.as_csv(rows), media_type=CSV, headers=headers)
