"""Pictures of the printed forms for docs/forms/ (`make form-pictures`): each form filled in with
synthetic data, in English and Russian, its first page rendered by pdftoppm (poppler-utils)."""

import subprocess
import sys
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.forms import pdf
from app.forms.texts import CHOICES, MONITORING_QUESTIONS, WORDS, Language

OUT = Path(__file__).resolve().parent.parent / "docs" / "forms"

AGREEMENT = pdf.FinancialAgreement(
    blue=True,
    number="S-SEZ-2026-7",
    ngo="Sezim (synthetic)",
    ngo_representative="Aida Bekova",
    mission_representative="Jane Roe",
    mou_reference="MoU 12/2025",
    registration_number="VT-2026-7K3M-Q9XA",
    period_start=date(2026, 1, 1),
    period_end=date(2026, 3, 31),
    lines=[
        pdf.AgreementLine("vocational_training", Decimal("2000.00")),
        pdf.AgreementLine("equipment", Decimal("3000.00")),
        pdf.AgreementLine("travel", Decimal("750.50")),
    ],
    total=Decimal("5750.50"),
    dated=date(2026, 1, 5),
)
ADMISSION = pdf.AdmissionPapers(
    resident="Aigul Asanova (synthetic)",
    registration_number="VT-2026-7K3M-Q9XA",
    shelter="Safe house",
    proposed_on=date(2026, 1, 2),
    rules_signed_on=date(2026, 1, 2),
    rights_signed_on=date(2026, 1, 2),
)
CONFIDENTIALITY = pdf.ConfidentialityAgreement("social.worker.1", "Sezim (synthetic)", None)


def monitoring(language: Language) -> pdf.MonitoringForm:
    given = {
        "last_meeting_on": "01.07.2026",
        "employed": WORDS[language]["yes"],
        "pay": CHOICES[language]["regular"],
        "plans": "To open a small tailoring workshop (synthetic).",
    }
    questions = dict(MONITORING_QUESTIONS[language])
    return pdf.MonitoringForm(
        given_name="Aigul",
        family_name="Asanova (synthetic)",
        birth_date=date(1995, 5, 17),
        reported_on=date(2026, 7, 10),
        reached=True,
        answers=[(questions[field], answer) for field, answer in given.items()],
    )


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    forms = {
        "financial-agreement": lambda lang: pdf.financial_agreement(AGREEMENT, lang),
        "admission-papers": lambda lang: pdf.admission_papers(ADMISSION, lang),
        "confidentiality-agreement": lambda lang: pdf.confidentiality_agreement(
            CONFIDENTIALITY, lang
        ),
        "monitoring-report": lambda lang: pdf.monitoring_form(monitoring(lang), lang),
    }
    with tempfile.TemporaryDirectory() as folder:
        for name, render in forms.items():
            for language in Language:
                source = Path(folder) / f"{name}-{language}.pdf"
                source.write_bytes(render(language))
                target = OUT / f"{name}-{language}"
                subprocess.run(  # noqa: S603 - a fixed tool, our own files
                    ["pdftoppm", "-png", "-r", "60", "-singlefile", str(source), str(target)],  # noqa: S607
                    check=True,
                )
                sys.stdout.write(f"wrote {target}.png\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
