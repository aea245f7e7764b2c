"""Response conventions shared by the routers: ETag and Location, and the file types a report
or an export is asked for with ``Accept``."""

from typing import Any

from fastapi import APIRouter, Request, Response

from app.routing import AppRoute
from app.services.imports import XLSX_MEDIA_TYPE

CSV = "text/csv"
XLSX = XLSX_MEDIA_TYPE


def resource_router(prefix: str, tag: str) -> APIRouter:
    return APIRouter(prefix=prefix, tags=[tag], route_class=AppRoute)


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def created(
    request: Request, response: Response, route_name: str, version: int, **params: str
) -> None:
    """201 answers name the new resource (Location) and its version (ETag)."""
    response.headers["Location"] = request.app.url_path_for(route_name, **params)
    set_etag(response, version)


# a printed form: a PDF, shown in the browser, named after the form and its language
_PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
PDF_FORM: dict[int | str, dict[str, Any]] = {200: {"content": _PDF, "description": "The form"}}


def pdf_form(content: bytes, name: str) -> Response:
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )
