"""The labels of the contract's enumerations, in the staff's languages (issue 19)."""

from pydantic import BaseModel, Field

from app.translations import StaffLanguage


class Label(BaseModel):
    value: str
    label: str
    language: StaffLanguage = Field(
        description="The label's language: the one asked for, or its fallback (Kyrgyz falls "
        "back to Russian, Russian and Kyrgyz to English) where it has no entry."
    )


class Enumeration(BaseModel):
    name: str = Field(
        description="The schema's name in the contract (`Sex`), or `Schema.property` for an "
        "enumeration declared inside one (`TokenRequest.grant_type`)."
    )
    values: list[Label]


class Vocabulary(BaseModel):
    """Every enumeration of the contract with its labels, for a frontend's lists and filters."""

    language: StaffLanguage
    enumerations: list[Enumeration]
