"""The labels of the contract's enumerations in the staff's languages (issue 19)."""

from typing import Annotated

from fastapi import Query, Request, Response

from app.deps import require
from app.domain.access import Action
from app.presenters import present_vocabulary
from app.routers.common import resource_router
from app.schemas.vocabulary import Vocabulary
from app.security import Principal
from app.translations import chosen, enumerations, staff_language

router = resource_router("/vocabulary", "vocabulary")
Anyone = Annotated[Principal, require(Action.VOCABULARY_READ)]


@router.get("", summary="Every enumeration of the contract with its labels, in a language")
async def get_vocabulary(
    _: Anyone,
    request: Request,
    response: Response,
    lang: Annotated[
        str | None,
        Query(
            max_length=35,
            description="`en`, `ru` or `ky` (Kyrgyz where translated, else Russian); any other "
            "is answered in English. Without it, the best of `Accept-Language`.",
        ),
    ] = None,
) -> Vocabulary:
    asked = request.headers.get("accept-language", "")
    language = chosen(lang) if lang is not None else staff_language(asked)
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language"
    return present_vocabulary(enumerations(request.app.openapi()), language)
