"""The Human Trafficking Case Data Standard (HTCDS 2.0, IOM: github.com/UNMigration/HTCDS): where
each of its fields comes from here, or that it is not held, or held and never exported; its
picklist values for ours; and one case as a row of the toolkit's spreadsheet.

Names are spelled as the standard's field list (``HTCDS Field Standards 2.0.ods``) spells them,
prefix and field (``prs_Gender``); values are its picklist value names (``Feminine``) and ISO 3166
alpha-2 country codes. Only what a person consented to have processed (``data_processing``)
leaves, and never psychological, medical or legal data: fields that would carry them are
``WITHHELD``, as are a person's whereabouts and phone, which could put them in danger.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from uuid import UUID

from app.domain.casework import Service
from app.domain.closure import ClosureReason
from app.domain.errors import ConsentRequired
from app.domain.vocabulary import ExploitationType, Sex, VictimStatus

VERSION = "2.0"
EXPORTABLE = frozenset({VictimStatus.ACTIVE, VictimStatus.CLOSED})


class Holding(StrEnum):
    EXPORTED = "exported"  # held here, and exported from where ``source`` says
    NOT_HELD = "not_held"  # nothing here records it
    WITHHELD = "withheld"  # held, but never exported: ``source`` says why


@dataclass(frozen=True)
class FieldMapping:
    name: str
    holding: Holding
    source: str


_E, _N, _W = Holding.EXPORTED, Holding.NOT_HELD, Holding.WITHHELD
_PLACE = "a person's whereabouts never leave in an export (they could put them in danger)"
_HEALTH = "health, psychological and legal data are never exported"
_FREE = "free text written by staff may name anyone: never exported"
_SERVICE = f"referrals.service: the service asked for may be medical or legal; {_HEALTH}"
# a referral to a clinic or a lawyer would say what the service withholds
_SEEN = "a referral the caller sees, for no medical, legal or psychological service"

MAPPING: tuple[FieldMapping, ...] = tuple(
    FieldMapping(name, holding, source)
    for name, holding, source in (
        ("org_Name", _E, "organisations.name (the referring and referred organisations)"),
        ("org_ShippingCity", _N, "organisations hold no address"),
        ("org_ShippingCountry", _N, "organisations hold no address"),
        ("org_ShippingState", _N, "organisations hold no address"),
        ("org_ShippingStreet", _N, "organisations hold no address"),
        ("org_ShippingPostalCode", _N, "organisations hold no address"),
        ("org_ShippingLongitude", _N, "organisations hold no address"),
        ("org_ShippingLatitude", _N, "organisations hold no address"),
        ("org_Phone", _N, "organisations hold no phone"),
        ("org_Type", _W, "organisations.kind: not in the toolkit's layout"),
        ("prs_Salutation", _N, "not recorded"),
        ("prs_FirstName", _E, "victims.given_name"),
        ("prs_MiddleName", _N, "not recorded"),
        ("prs_SecondName", _E, "victims.family_name"),
        ("prs_Birthdate", _E, "victims.birth_date (ISO 8601)"),
        ("prs_Gender", _E, "victims.sex, by GENDER"),
        ("prs_Deceased", _W, "a closure for `deceased`: not in the toolkit's layout"),
        ("prs_MaritalStatus", _W, "shelter_stays.marital_status: not in the toolkit's layout"),
        ("prs_NumberOfChildren", _N, "not recorded"),
        ("prs_PrimaryLanguage", _N, "not recorded"),
        ("prs_SecondaryLanguage", _N, "not recorded"),
        ("prs_HighestLevelOfEducation", _N, "not recorded"),
        ("prs_Citizenship", _E, "victims.nationality (ISO 3166 alpha-2)"),
        ("prs_IdentityNumber", _W, "identity documents are never exported"),
        ("prs_Title", _N, "not recorded"),
        ("prs_Email", _N, "not recorded"),
        ("prs_HomePhone", _N, "not recorded"),
        ("prs_MobilePhone", _W, f"victims.contact_phone: {_PLACE}"),
        ("prs_MailingCity", _W, f"victims.registered_address: {_PLACE}"),
        ("prs_MailingCountry", _W, f"victims.registered_address: {_PLACE}"),
        ("prs_MailingState", _W, f"victims.registered_address: {_PLACE}"),
        ("prs_MailingStreet", _W, f"victims.registered_address: {_PLACE}"),
        ("prs_MailingPostalCode", _W, f"victims.registered_address: {_PLACE}"),
        ("prs_MailingLongitude", _N, "not recorded"),
        ("prs_MailingLatitude", _N, "not recorded"),
        ("vic_AgreementToManagePersonalData", _N, "deprecated by the standard: con_Consent"),
        (
            "vic_TraffickingStatus",
            _E,
            "victims.identified_on: set, an actual victim; else possible",
        ),
        ("vic_TraffickingStatusDecisionMakingOrg", _N, "who identified the person: not recorded"),
        ("vic_RelationshipToTrafficker", _N, "not recorded"),
        ("vic_AgeWhenTrafficked", _N, "not recorded"),
        ("vic_RecruitmentWebsitesAndApps", _N, "not recorded"),
        ("vic_MethodOfRecruitment", _N, "not recorded"),
        ("vic_LocationOfRecruitment", _N, "not recorded"),
        ("vic_MethodsOfControl", _N, "not recorded"),
        ("vic_TypeOfExploitation", _E, "victims.exploitation_types, by EXPLOITATION"),
        ("vic_ForcedLabourIndustry", _N, "not recorded"),
        ("vic_TypeOfSexExploitation", _N, "not recorded"),
        ("vic_LocationOfExploitation", _E, "victims.country_of_exploitation (ISO 3166 alpha-2)"),
        ("vic_ExploitationWebsitesAndApps", _N, "not recorded"),
        ("vic_Vulnerabilities", _W, f"assessments' findings: {_HEALTH}"),
        ("vic_DetailsOfVulnerabilities", _W, f"assessments' findings: {_HEALTH}"),
        ("per_RoleInProcess", _N, "perpetrators are not recorded"),
        ("per_RoleDetails", _N, "perpetrators are not recorded"),
        ("cas_Status", _E, "victims.status and its last closure, by case_status()"),
        ("cas_ReasonForCaseClosure", _E, "case_closures.reason of the last closure (its name)"),
        ("cas_CaseOwner", _E, "case_assignments.user_id: the case's holder, to their colleagues"),
        (
            "cas_ReferringOrganisation",
            _E,
            f"the last referral to the case's organisation: from; {_SEEN}",
        ),
        ("cas_IncomingReferralDate", _E, "that referral's referred_on"),
        ("cas_ReferringPrimaryCaseWorker", _E, "that referral's created_by (a user id)"),
        (
            "cas_ReasonForIncomingReferral",
            _E,
            "AdditionalServicesRequired: a referral asks for one",
        ),
        ("cas_IncomingReferralDetails", _W, _SERVICE),
        (
            "cas_ReferredOrganisation",
            _E,
            f"the last referral from the case's organisation: to; {_SEEN}",
        ),
        ("cas_ReferredPrimaryCaseWorker", _N, "the receiving worker is not named on a referral"),
        (
            "cas_ReasonForOutgoingReferral",
            _E,
            "AdditionalServicesRequired: a referral asks for one",
        ),
        ("cas_OutgoingReferralDate", _E, "that referral's referred_on"),
        ("cas_OutgoingReferralDetails", _W, _SERVICE),
        ("cco_CaseComment", _W, _FREE),
        ("hte_Longitude", _N, "not recorded"),
        ("hte_Latitude", _N, "not recorded"),
        ("hte_City", _N, "not recorded"),
        ("hte_Country", _W, "victims.country_of_exploitation: vic_LocationOfExploitation"),
        ("hte_State", _N, "not recorded"),
        ("hte_Street", _N, "not recorded"),
        ("hte_PostalCode", _N, "not recorded"),
        ("hte_Date", _N, "not recorded"),
        ("hte_Type", _N, "trafficking events are not recorded, only the country"),
        ("hte_Description", _N, "not recorded"),
        ("spl_Objectives", _W, f"care plans' goals: {_HEALTH}"),
        ("spl_ActionPlan", _W, f"care plans: {_HEALTH}"),
        ("spl_PlannedEndDate", _W, f"care plans: {_HEALTH}"),
        ("spl_ActualEndDate", _W, f"care plans: {_HEALTH}"),
        ("spl_Type", _W, f"care plans: {_HEALTH}"),
        ("con_Consent", _E, "true: only persons with an active data_processing consent leave"),
    )
)
HOLDING: Mapping[str, Holding] = MappingProxyType({m.name: m.holding for m in MAPPING})

# The toolkit's spreadsheet (Toolkit/Excel/HTCDS Excel Spreadsheet v2.0.xlsx), column by column,
# spelled as the field list spells the names (the toolkit writes vic_TraffickinStatus...), with
# cas_ReasonForOutgoingReferral, which its second row labels, in its place; each with the label
# of its second row (the field list's).
COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "cas_CaseOwner": "Case Owner",
        "prs_Salutation": "Salutation",
        "prs_FirstName": "First Name",
        "prs_SecondName": "Second Name",
        "con_Consent": "Consent",
        "prs_Birthdate": "Birthdate",
        "prs_Gender": "Gender",
        "prs_Citizenship": "Citizenship",
        "prs_Title": "Title",
        "prs_Email": "Email",
        "prs_HomePhone": "Home Phone",
        "prs_MobilePhone": "Mobile Phone",
        "prs_MailingCity": "Mailing City",
        "prs_MailingCountry": "Mailing Country",
        "prs_MailingState": "Mailing State/Province",
        "prs_MailingStreet": "Mailing Street",
        "prs_MailingPostalCode": "Mailing Zip/Postal Code",
        "vic_TraffickingStatus": "Trafficking Status",
        "vic_TraffickingStatusDecisionMakingOrg": "Trafficking Status Decision Making Organization",
        "vic_MethodOfRecruitment": "Method of Recruitment",
        "vic_LocationOfRecruitment": "Location of Recruitment",
        "vic_MethodsOfControl": "Methods of Control",
        "vic_TypeOfExploitation": "Type of Exploitation",
        "vic_ForcedLabourIndustry": "Forced Labour Industry",
        "vic_TypeOfSexExploitation": "Type of Sex Exploitation",
        "vic_LocationOfExploitation": "Location of Exploitation",
        "cas_Status": "Status",
        "cas_ReferringOrganisation": "Referring Organisation",
        "cas_IncomingReferralDate": "Incoming Referral Date",
        "cas_ReferringPrimaryCaseWorker": "Referring Primary Case Worker",
        "cas_ReasonForIncomingReferral": "Reason for Incoming Referral",
        "cas_IncomingReferralDetails": "Incoming Referral Details",
        "cas_ReferredOrganisation": "Referred Organisation",
        "cas_ReferredPrimaryCaseWorker": "Referred Primary Case Worker",
        "cas_ReasonForOutgoingReferral": "Reason for Outgoing Referral",
        "cas_OutgoingReferralDate": "Outgoing Referral Date",
        "cas_OutgoingReferralDetails": "Outgoing Referral Details",
        "cas_ReasonForCaseClosure": "Reason for Case Closure",
    }
)
# the toolkit's columns that take several values: a list in JSON, joined by semicolons in a cell
MULTISELECT = frozenset(
    {
        "prs_Citizenship",
        "vic_MethodOfRecruitment",
        "vic_MethodsOfControl",
        "vic_TypeOfExploitation",
        "vic_TypeOfSexExploitation",
    }
)

GENDER: Mapping[Sex, str] = MappingProxyType(
    {
        Sex.FEMALE: "Feminine",
        Sex.MALE: "Masculine",
        Sex.OTHER: "NonConforming",
        Sex.UNKNOWN: "NonSpecifiedUnknown",
    }
)
EXPLOITATION: Mapping[ExploitationType, str] = MappingProxyType(
    {
        ExploitationType.SEXUAL: "SexualExploitation",
        ExploitationType.LABOUR: "ForcedLabour",
        ExploitationType.DOMESTIC_SERVITUDE: "Servitude",
        ExploitationType.FORCED_BEGGING: "ForcedBegging",
        ExploitationType.FORCED_CRIMINALITY: "Other",  # the standard has no criminal activities
        ExploitationType.FORCED_MARRIAGE: "ForcedMarriage",
        ExploitationType.ORGAN_REMOVAL: "OrganRemoval",
        ExploitationType.OTHER: "Other",
    }
)
ACTUAL, POSSIBLE = "ActualVictimOfTrafficking", "PossibleVictimOfTrafficking"
# referrals for these would name a clinic, a lawyer or a psychologist: never exported
SENSITIVE_SERVICES = frozenset({Service.MEDICAL, Service.LEGAL, Service.LONG_TERM_PSYCHOSOCIAL})
ADDITIONAL_SERVICES = "AdditionalServicesRequired"
# the picklist values this module writes, by field: each one is the standard's (tested)
PICKLIST_VALUES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "prs_Gender": frozenset(GENDER.values()),
        "vic_TypeOfExploitation": frozenset(EXPLOITATION.values()),
        "vic_TraffickingStatus": frozenset({ACTUAL, POSSIBLE}),
        "cas_Status": frozenset({"Active", "FollowUp", "Closed", "ClosedReferred"}),
        "cas_ReasonForIncomingReferral": frozenset({ADDITIONAL_SERVICES}),
        "cas_ReasonForOutgoingReferral": frozenset({ADDITIONAL_SERVICES}),
    }
)


@dataclass(frozen=True)
class ReferralFacts:
    organisation: str  # the other organisation's name
    referred_on: date
    by: UUID | None = None


@dataclass(frozen=True)
class CaseFacts:
    """What one exported case is made of, read by the service."""

    given_name: str
    family_name: str
    birth_date: date
    sex: Sex
    nationality: str | None
    exploitation_types: Sequence[ExploitationType]
    country_of_exploitation: str | None
    identified_on: date | None
    status: VictimStatus
    closure: ClosureReason | None = None  # the last closure not reopened
    follow_up_due: bool = False
    holder: UUID | None = None
    incoming: ReferralFacts | None = None
    outgoing: ReferralFacts | None = None


Value = str | bool | list[str] | None


def check_exportable(status: VictimStatus, consented: bool) -> None:
    """Nothing of a person leaves without their active consent to the processing of their
    data (CONSENT-DISCLOSURE), nor of a record erased or merged into another."""
    if status not in EXPORTABLE or not consented:
        raise ConsentRequired(
            "CONSENT-DISCLOSURE",
            "The person has no active consent to the processing of their data: nothing of "
            "them is exported.",
        )


def case_status(facts: CaseFacts) -> str:
    """Active; Closed, ClosedReferred when it was closed for a transfer, FollowUp while a
    follow-up contact of a closed case is due."""
    if facts.status is VictimStatus.ACTIVE:
        return "Active"
    if facts.closure is ClosureReason.TRANSFERRED:
        return "ClosedReferred"
    return "FollowUp" if facts.follow_up_due else "Closed"


def row(facts: CaseFacts) -> dict[str, Value]:
    """One case in the toolkit's columns; a field not held or withheld is None."""
    incoming, outgoing = facts.incoming, facts.outgoing
    values: dict[str, Value] = {
        "cas_CaseOwner": str(facts.holder) if facts.holder else None,
        "prs_FirstName": facts.given_name,
        "prs_SecondName": facts.family_name,
        "con_Consent": True,
        "prs_Birthdate": facts.birth_date.isoformat(),
        "prs_Gender": GENDER[facts.sex],
        "prs_Citizenship": [facts.nationality] if facts.nationality else None,
        "vic_TraffickingStatus": ACTUAL if facts.identified_on else POSSIBLE,
        "vic_TypeOfExploitation": sorted({EXPLOITATION[t] for t in facts.exploitation_types}),
        "vic_LocationOfExploitation": facts.country_of_exploitation,
        "cas_Status": case_status(facts),
        "cas_ReasonForCaseClosure": facts.closure.value if facts.closure else None,
    }
    if incoming:
        values |= {
            "cas_ReferringOrganisation": incoming.organisation,
            "cas_IncomingReferralDate": incoming.referred_on.isoformat(),
            "cas_ReferringPrimaryCaseWorker": str(incoming.by) if incoming.by else None,
            "cas_ReasonForIncomingReferral": ADDITIONAL_SERVICES,
        }
    if outgoing:
        values |= {
            "cas_ReferredOrganisation": outgoing.organisation,
            "cas_OutgoingReferralDate": outgoing.referred_on.isoformat(),
            "cas_ReasonForOutgoingReferral": ADDITIONAL_SERVICES,
        }
    return {column: values.get(column) for column in COLUMNS}


def flat(value: Value) -> str:
    """A value as a spreadsheet cell: a multi-select joined by semicolons (as the toolkit's
    multi-select sheet and Salesforce write them), a checkbox TRUE/FALSE, nothing empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return ";".join(value) if isinstance(value, list) else value
