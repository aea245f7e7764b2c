"""The signed papers of a case (issue 18): which kinds there are, what each may be attached to,
which files are taken, and the limits.

A document is a scan or a PDF of a paper the person or the staff signed: the General Shelter
Rules and the Rights of Residents (MAN 3.0.5, Annexes 2–3), consent forms, the pink and blue
financial agreements (Annexes 5–6), the Annex 7 monitoring form, identity documents, medical
papers. Only PDF, JPEG and PNG are taken, told from their content, never from their name.
"""

from collections.abc import Mapping
from enum import StrEnum

from app.domain.errors import InvalidValue, RuleViolation

MAX_BYTES = 20 * 1024 * 1024  # a document's largest size
MAX_PER_PERSON = 100  # documents a person's file holds at most


class DocumentKind(StrEnum):
    SHELTER_RULES = "shelter_rules"  # Annex 2, signed at admission (MAN-ADMISSION-DOCS)
    RESIDENTS_RIGHTS = "residents_rights"  # Annex 3, signed at admission (MAN-ADMISSION-DOCS)
    CONSENT_FORM = "consent_form"
    FINANCIAL_AGREEMENT = "financial_agreement"  # Annexes 5–6: the grant's signed agreement
    MONITORING_FORM = "monitoring_form"  # Annex 7
    IDENTITY_DOCUMENT = "identity_document"
    MEDICAL = "medical"  # health data: read as the health record is
    OTHER = "other"


class MediaType(StrEnum):
    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class Link(StrEnum):
    """The record a document belongs to, besides its person."""

    STAY = "stay_id"
    CONSENT = "consent_id"
    GRANT = "grant_id"
    MONITORING_REPORT = "monitoring_report_id"
    IDENTITY_DOCUMENT = "identity_document_id"


# what each kind may be attached to (none of them needs a link: a paper may come first)
LINKS: Mapping[DocumentKind, frozenset[Link]] = {
    DocumentKind.SHELTER_RULES: frozenset({Link.STAY}),
    DocumentKind.RESIDENTS_RIGHTS: frozenset({Link.STAY}),
    DocumentKind.CONSENT_FORM: frozenset({Link.CONSENT}),
    DocumentKind.FINANCIAL_AGREEMENT: frozenset({Link.GRANT}),
    DocumentKind.MONITORING_FORM: frozenset({Link.MONITORING_REPORT, Link.STAY}),
    DocumentKind.IDENTITY_DOCUMENT: frozenset({Link.IDENTITY_DOCUMENT}),
    DocumentKind.MEDICAL: frozenset(),
    DocumentKind.OTHER: frozenset({Link.STAY}),
}
# MAN-ADMISSION-DOCS: the signed forms that stand for the signature dates of a stay
ADMISSION_FORMS = (DocumentKind.SHELTER_RULES, DocumentKind.RESIDENTS_RIGHTS)


class TooManyDocuments(RuleViolation):
    status, code = 409, "too_many_documents"

    def __init__(self) -> None:
        detail = f"The person's file holds {MAX_PER_PERSON} documents already."
        super().__init__("DOC-LIMITS", detail, max_documents=MAX_PER_PERSON)


def check_links(kind: DocumentKind, links: set[Link]) -> None:
    """A document is attached to one record at most, of a kind its own kind belongs to."""
    if len(links) > 1:
        raise InvalidValue(sorted(links)[1].value, "A document is attached to one record at most.")
    for link in links:
        if link not in LINKS[kind]:
            raise InvalidValue(link.value, f"A {kind.value} document is not attached to this.")


def check_room(held: int) -> None:
    """DOC-LIMITS: a person's file holds at most MAX_PER_PERSON documents."""
    if held >= MAX_PER_PERSON:
        raise TooManyDocuments()


# how each kind of file ends when it is whole (a truncated upload does not)
_ENDINGS: Mapping[MediaType, tuple[bytes, ...]] = {
    MediaType.PDF: (b"%%EOF",),
    MediaType.JPEG: (b"\xff\xd9",),
    MediaType.PNG: (b"IEND\xaeB`\x82",),
}


def is_whole(media_type: MediaType, tail: bytes) -> bool:
    """The file's last bytes hold its format's end marker: a PDF's last ``%%EOF`` (a PDF
    may end with a line break or some padding after it), a JPEG's end-of-image, a PNG's
    ``IEND`` chunk."""
    if media_type is MediaType.PDF:
        return b"%%EOF" in tail[-1024:]
    return tail.rstrip(b"\0").endswith(_ENDINGS[media_type])
