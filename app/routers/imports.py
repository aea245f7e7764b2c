"""Bringing an existing caseload in: spreadsheet imports (issue 17)."""

from app.routers.common import resource_router

router = resource_router("/imports", "imports")
