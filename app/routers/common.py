"""Response conventions shared by the routers: ETag and Location."""

from fastapi import APIRouter, Request, Response

from app.routing import AppRoute


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
