"""The printed forms of the manual's annexes, as PDF, in English or Russian (issue 18).

Drawn with fpdf2: pure Python (no system libraries to install, unlike WeasyPrint's Pango and
Cairo), maintained, and embedding a TrueType font's Unicode glyphs, so Cyrillic prints as
itself. The font, DejaVu Sans (Bitstream Vera licence, free to ship), is in ``fonts/``.
Amounts are written in words by num2words. Each form is built from the data given to it; it
reads nothing itself.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from num2words import num2words  # type: ignore[import-untyped]

from app.forms.texts import (
    CONFIDENTIALITY,
    GRANT_LINES,
    RESIDENTS_RIGHTS,
    SHELTER_RULES,
    WORDS,
    Language,
)

FONTS = Path(__file__).parent / "fonts"
_FONT = "DejaVu"
_SOM = {Language.EN: ("som", "soms"), Language.RU: ("сом", "сома", "сомов")}
_TYIYN = {Language.EN: ("tyiyn", "tyiyns"), Language.RU: ("тыйын", "тыйына", "тыйынов")}


def amount_in_words(amount: Decimal, language: Language) -> str:
    """``2750.50`` → "two thousand, seven hundred and fifty soms 50 tyiyns" (in Russian: "две
    тысячи семьсот пятьдесят сомов 50 тыйынов")."""
    whole = int(amount)
    cents = int((amount - whole) * 100)
    words = f"{num2words(whole, lang=language.value)} {_plural(whole, _SOM[language])}"
    if cents:
        words += f" {cents:02d} {_plural(cents, _TYIYN[language])}"
    return words[0].upper() + words[1:]


def _plural(n: int, forms: tuple[str, ...]) -> str:
    if len(forms) == 2:
        return forms[0] if n == 1 else forms[1]
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def _day(day: date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "____________"


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ")


class _Form(FPDF):
    def __init__(self, language: Language, title: str) -> None:
        super().__init__(format="A4")
        self.language = language
        self.words = WORDS[language]
        self.add_font(_FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(_FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_lang(language.value)
        self.set_title(title)
        self.set_creator("vot-case-management")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 18, 20)
        self.add_page()
        self.heading(title)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FONT, size=8)
        self.cell(0, 5, f"{self.words['page']} {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.set_font(_FONT, "B", 13)
        self.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font(_FONT, size=10.5)

    def line_of(self, label: str, value: str) -> None:
        self.set_font(_FONT, "B", 10.5)
        self.cell(55, 6.5, label + ":")
        self.set_font(_FONT, size=10.5)
        self.multi_cell(0, 6.5, value, align="L", new_x="LMARGIN", new_y="NEXT")

    def text_block(self, text: str) -> None:
        self.multi_cell(0, 6, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.set_x(self.l_margin)
            self.cell(6, 6, "•")
            self.multi_cell(0, 6, item, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def signatures(self, *labels: str) -> None:
        self.ln(8)
        width = (self.epw - 10 * (len(labels) - 1)) / len(labels)
        top = self.get_y()
        for index, label in enumerate(labels):
            self.set_xy(self.l_margin + index * (width + 10), top)
            self.cell(width, 6, "_" * 32, new_x="LEFT", new_y="NEXT")
            self.set_x(self.l_margin + index * (width + 10))
            self.set_font(_FONT, size=9)
            self.multi_cell(width, 5, label)
            self.set_font(_FONT, size=10.5)
        self.set_y(top + 24)

    def done(self) -> bytes:
        return bytes(self.output())


# --- the shelter's admission papers (Annexes 2 and 3) ------------------------------------------


@dataclass(frozen=True)
class AdmissionPapers:
    resident: str  # the person's full name
    registration_number: str
    shelter: str
    proposed_on: date
    rules_signed_on: date | None
    rights_signed_on: date | None


def admission_papers(papers: AdmissionPapers, language: Language) -> bytes:
    """The General Shelter Rules and the Rights of Residents, each on a page of its own, with the
    resident's name and the signature block (MAN-ADMISSION-DOCS)."""
    words = WORDS[language]
    pdf = _Form(language, words["rules_title"])
    _resident_lines(pdf, papers)
    pdf.bullets(SHELTER_RULES[language])
    pdf.signatures(
        f"{words['resident_signature']}\n{words['date']}: {_day(papers.rules_signed_on)}"
    )
    pdf.add_page()
    pdf.heading(words["rights_title"])
    _resident_lines(pdf, papers)
    pdf.text_block(words["rights_intro"])
    pdf.bullets(RESIDENTS_RIGHTS[language])
    pdf.text_block(words["rights_outro"])
    pdf.signatures(
        f"{words['resident_signature']}\n{words['date']}: {_day(papers.rights_signed_on)}"
    )
    return pdf.done()


def _resident_lines(pdf: _Form, papers: AdmissionPapers) -> None:
    pdf.line_of(pdf.words["resident"], papers.resident)
    pdf.line_of(pdf.words["registration"], papers.registration_number)
    pdf.line_of(pdf.words["shelter"], papers.shelter)
    pdf.ln(2)


# --- the financial agreements (Annexes 5 and 6) --------------------------------------------------


@dataclass(frozen=True)
class AgreementLine:
    category: str
    amount: Decimal


@dataclass(frozen=True)
class FinancialAgreement:
    blue: bool  # the blue form (Annex 6), else the pink one (Annex 5)
    number: str | None
    ngo: str
    ngo_representative: str | None
    mission_representative: str | None
    mou_reference: str | None
    registration_number: str
    period_start: date
    period_end: date
    lines: Sequence[AgreementLine]
    total: Decimal
    dated: date | None  # submitted on


def financial_agreement(agreement: FinancialAgreement, language: Language) -> bytes:
    """Annex 5 or 6 filled in: the number, the parties and their representatives, every line
    with its amount, the total in figures and in words, and the two signature blocks."""
    words = WORDS[language]
    pdf = _Form(language, words["blue_title" if agreement.blue else "pink_title"])
    number = agreement.number or words["not_numbered"]
    pdf.set_font(_FONT, "B", 11.5)
    pdf.cell(0, 7, f"{words['agreement_no']} {number}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=10.5)
    pdf.cell(0, 6, f"{words['place']}, {words['date']}: {_day(agreement.dated)}")
    pdf.ln(9)
    unnamed = words["not_named"]
    parties = words["agreement_parties"].format(
        ngo=agreement.ngo,
        ngo_rep=agreement.ngo_representative or unnamed,
        mission_rep=agreement.mission_representative or unnamed,
        mou=agreement.mou_reference or unnamed,
    )
    pdf.text_block(parties)
    body = words["agreement_blue" if agreement.blue else "agreement_pink"].format(
        ngo=agreement.ngo,
        registration=agreement.registration_number,
        total=_money(agreement.total),
        start=_day(agreement.period_start),
        end=_day(agreement.period_end),
    )
    pdf.text_block(body)
    _lines_table(pdf, agreement)
    pdf.ln(2)
    pdf.set_font(_FONT, "B", 10.5)
    pdf.multi_cell(0, 6, f"{words['in_words']}: {amount_in_words(agreement.total, language)}")
    pdf.set_font(_FONT, size=10.5)
    pdf.ln(2)
    pdf.text_block(words["conduct"])
    pdf.text_block(words["signed_copies"])
    pdf.signatures(
        f"{words['for_ngo']}\n{words['name']}: {agreement.ngo_representative or ''}",
        f"{words['for_mission']}\n{words['name']}: {agreement.mission_representative or ''}",
    )
    return pdf.done()


def _lines_table(pdf: _Form, agreement: FinancialAgreement) -> None:
    names = GRANT_LINES[pdf.language]
    words = pdf.words
    with pdf.table(col_widths=(10, 110, 40), text_align=("LEFT", "LEFT", "RIGHT")) as table:
        header = table.row()
        for title in ("#", words["line"], words["amount"]):
            header.cell(title)
        for index, line in enumerate(agreement.lines, 1):
            row = table.row()
            row.cell(str(index))
            row.cell(names.get(line.category, line.category))
            row.cell(_money(line.amount))
        total = table.row()
        total.cell("")
        total.cell(words["total"])
        total.cell(_money(agreement.total))


# --- the staff confidentiality agreement (Annex 4) -----------------------------------------------


@dataclass(frozen=True)
class ConfidentialityAgreement:
    staff_member: str  # the account's username: staff are known to the system by it
    organisation: str
    signed_on: date | None


def confidentiality_agreement(agreement: ConfidentialityAgreement, language: Language) -> bytes:
    words = WORDS[language]
    pdf = _Form(language, words["confidentiality_title"])
    pdf.line_of(words["staff_member"], f"{agreement.staff_member} ({agreement.organisation})")
    pdf.line_of(words["date"], _day(agreement.signed_on))
    pdf.ln(2)
    for paragraph in CONFIDENTIALITY[language]:
        pdf.text_block(paragraph)
    pdf.signatures(words["staff_signature"], words["manager_signature"])
    return pdf.done()


# --- the monitoring report (Annex 7) --------------------------------------------------------


@dataclass(frozen=True)
class MonitoringForm:
    given_name: str
    family_name: str
    birth_date: date
    reported_on: date
    reached: bool
    answers: Sequence[tuple[str, str]]  # (question, answer), in the form's order


def monitoring_form(report: MonitoringForm, language: Language) -> bytes:
    words = WORDS[language]
    pdf = _Form(language, words["monitoring_title"])
    pdf.line_of(words["reported_on"], _day(report.reported_on))
    pdf.ln(1)
    pdf.heading(words["general_data"])
    pdf.line_of(words["first_name"], report.given_name)
    pdf.line_of(words["last_name"], report.family_name)
    pdf.line_of(words["birth_date"], _day(report.birth_date))
    pdf.ln(1)
    pdf.heading(words["reintegration"])
    pdf.text_block(words["reached"] if report.reached else words["unreachable"])
    for question, answer in report.answers:
        pdf.set_font(_FONT, "B", 10.5)
        pdf.multi_cell(0, 6, question, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_FONT, size=10.5)
        pdf.text_block(answer or "—")
    pdf.signatures(f"{words['social_worker']}\n{words['signature']}, {words['date']}")
    return pdf.done()
