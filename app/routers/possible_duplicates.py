"""The same person registered twice: the pairs the matcher found (issue 17)."""

from app.routers.common import resource_router

router = resource_router("/possible-duplicates", "possible_duplicates")
