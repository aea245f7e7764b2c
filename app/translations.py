"""The staff's languages: the labels of the contract's enumerations and the texts of refusals,
read with Babel from gettext catalogues (``app/locales/<language>/LC_MESSAGES/messages.po``).

English is the contract's own language: an English label is the value made readable, an English
refusal the detail the code wrote. Russian is complete (tests/test_translations.py fails on any
gap); Kyrgyz is translated where it is, and falls back entry by entry to Russian, which the
staff read too. A catalogue entry's context says what it labels: an enumeration's name
(``Sex``; ``MeRead.actor_type`` for one inside a schema), ``code`` for a problem's code, ``rule``
for a rule id, which says more than the code where a refusal names one.
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from babel.messages.pofile import read_po

CODE, RULE = "code", "rule"


class StaffLanguage(StrEnum):
    EN = "en"
    RU = "ru"
    KY = "ky"


# where a language looks for an entry, in order; English needs no catalogue
FALLBACKS: Mapping[StaffLanguage, tuple[StaffLanguage, ...]] = {
    StaffLanguage.EN: (),
    StaffLanguage.RU: (StaffLanguage.RU,),
    StaffLanguage.KY: (StaffLanguage.KY, StaffLanguage.RU),
}


@cache
def catalogue(language: StaffLanguage) -> Mapping[tuple[str, str], str]:
    """A language's translated entries by (context, message id); fuzzy ones are not used."""
    if language is StaffLanguage.EN:
        return MappingProxyType({})
    path = resources.files("app") / "locales" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    return MappingProxyType(
        {
            (message.context or "", str(message.id)): str(message.string)
            for message in catalog
            if message.id and message.string and not message.fuzzy
        }
    )


def translated(language: StaffLanguage, context: str, msgid: str) -> tuple[str, StaffLanguage]:
    """The entry in the language or its fallback, with the language it is in; ("", EN) if none."""
    for candidate in FALLBACKS[language]:
        if text := catalogue(candidate).get((context, msgid)):
            return text, candidate
    return "", StaffLanguage.EN


def label(language: StaffLanguage, enumeration: str, value: str) -> tuple[str, StaffLanguage]:
    text, found_in = translated(language, enumeration, value)
    return (text, found_in) if text else (readable(value), StaffLanguage.EN)


def readable(value: str) -> str:
    """``domestic_servitude`` → ``Domestic servitude``; a value that is no word (a media type)
    stays as it is."""
    words = value.replace("_", " ")
    return words[:1].upper() + words[1:] if words.replace(" ", "").isalpha() else value


def refusal(language: StaffLanguage, code: str, rule: str | None) -> tuple[str, StaffLanguage]:
    """The text of a refusal: in each language of the fallbacks in turn, its rule's where it
    names one, else its code's (a Kyrgyz code's text before a Russian rule's); ("", EN) when
    none is translated: the detail stays the English one."""
    for candidate in FALLBACKS[language]:
        entries = catalogue(candidate)
        if text := (rule and entries.get((RULE, rule))) or entries.get((CODE, code)):
            return text, candidate
    return "", StaffLanguage.EN


def preferred(accept_language: str, offered: Iterable[str]) -> str | None:
    """The first of ``offered`` an ``Accept-Language`` header asks for, by weight and then by
    position (``ru-RU,ru;q=0.9,en;q=0.8`` → ``ru``); None when it asks for none of them."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, *params = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    weight = float(param[2:])
                except ValueError:
                    weight = 0.0
        ranked.append((-weight, position, tag.split("-")[0].lower()))
    choices = set(offered)
    return next((tag for weight, _, tag in sorted(ranked) if weight < 0 and tag in choices), None)


def staff_language(accept_language: str) -> StaffLanguage:
    return StaffLanguage(preferred(accept_language, StaffLanguage) or StaffLanguage.EN)


def chosen(lang: str) -> StaffLanguage:
    """A language asked for by its tag (``ru``, ``ru-RU``, ``RU``); English for one not offered."""
    primary = lang.split("-")[0].strip().lower()
    offered = primary in StaffLanguage.__members__.values()
    return StaffLanguage(primary) if offered else StaffLanguage.EN


def enumerations(contract: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every enumeration of an OpenAPI document: its named schemas with ``enum``, and the
    properties of schemas with one of their own (``MeRead.actor_type``)."""
    schemas: Mapping[str, Any] = contract["components"]["schemas"]
    found = {name: list(schema["enum"]) for name, schema in schemas.items() if "enum" in schema}
    for name, schema in schemas.items():
        for field, item in schema.get("properties", {}).items():
            if "enum" in item:
                found[f"{name}.{field}"] = list(item["enum"])
    return found


def missing(
    language: StaffLanguage,
    enumerations: Mapping[str, Iterable[str]],
    codes: Iterable[str] = (),
    rules: Iterable[str] = (),
) -> list[str]:
    """What the language's own catalogue does not translate (no fallback), as context:id."""
    wanted = [(name, value) for name, values in enumerations.items() for value in values]
    wanted += [(CODE, code) for code in codes] + [(RULE, rule) for rule in rules]
    entries = catalogue(language)
    return [f"{context}:{msgid}" for context, msgid in wanted if (context, msgid) not in entries]
