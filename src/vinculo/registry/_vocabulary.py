"""Controlled vocabularies of the programmes and practices database (resolution 74/176, §19).

Codes are stable identifiers stored in the database and sent by the API; labels are English and
translated by the web layer. The structure follows ICAT's "Toolkit for Guidance in Designing and
Evaluating Counter Trafficking Programmes" and the four pillars of the Global Plan of Action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vinculo.errors import Issue, Location

__all__ = [
    "DAC_CRITERIA",
    "EVALUATION_DESIGNS",
    "EVALUATORS",
    "EVIDENCE_RATINGS",
    "FORMS_OF_EXPLOITATION",
    "PILLARS",
    "TARGET_GROUPS",
    "UN_LANGUAGES",
    "check_codes",
]

#: Global Plan of Action pillars (A/RES/64/293): the "4 Ps".
PILLARS: dict[str, str] = {
    "prevention": "Prevention",
    "protection": "Protection and assistance",
    "prosecution": "Prosecution",
    "partnership": "Partnership",
}

#: Forms of exploitation, as UNODC's Global Report on Trafficking in Persons groups them.
FORMS_OF_EXPLOITATION: dict[str, str] = {
    "sexual_exploitation": "Sexual exploitation",
    "forced_labour": "Forced labour",
    "forced_criminality": "Forced criminal activity",
    "forced_begging": "Forced begging",
    "forced_marriage": "Forced or sham marriage",
    "organ_removal": "Removal of organs",
    "illegal_adoption": "Illegal adoption",
    "armed_groups": "Exploitation by armed groups",
    "online_exploitation": "Online exploitation",
    "other": "Other forms",
}

#: Groups a programme addresses: victims and people at risk, and the professionals it trains.
TARGET_GROUPS: dict[str, str] = {
    "women": "Women",
    "men": "Men",
    "girls": "Girls",
    "boys": "Boys",
    "migrants": "Migrants",
    "refugees": "Refugees and asylum seekers",
    "displaced": "Internally displaced persons",
    "disabilities": "Persons with disabilities",
    "indigenous": "Indigenous peoples",
    "lgbtiq": "LGBTIQ+ persons",
    "survivors": "Survivors",
    "law_enforcement": "Law enforcement and border officials",
    "judiciary": "Prosecutors and judges",
    "labour_inspectors": "Labour inspectors",
    "service_providers": "Health, social and shelter workers",
    "private_sector": "Businesses and supply chains",
    "general_public": "The general public",
}

#: How strong the evidence is that the programme works (see :func:`suggest_evidence_rating`).
EVIDENCE_RATINGS: dict[str, str] = {
    "strong": "Strong: independent evaluation with a comparison group",
    "moderate": "Moderate: evaluated against baselines (before and after)",
    "limited": "Limited: monitoring or qualitative findings only",
    "not_assessed": "Not assessed: no evaluation yet",
}

#: The OECD-DAC evaluation criteria (revised 2019).
DAC_CRITERIA: dict[str, str] = {
    "relevance": "Relevance",
    "coherence": "Coherence",
    "effectiveness": "Effectiveness",
    "efficiency": "Efficiency",
    "impact": "Impact",
    "sustainability": "Sustainability",
}

#: Designs of a monitoring or evaluation exercise, strongest first.
EVALUATION_DESIGNS: dict[str, str] = {
    "experimental": "Experimental (randomised comparison group)",
    "quasi_experimental": "Quasi-experimental (non-random comparison group)",
    "pre_post": "Before and after, against baselines",
    "qualitative": "Qualitative (interviews, focus groups, case studies)",
    "monitoring": "Routine monitoring of indicators",
}

#: Who carried out a monitoring or evaluation exercise.
EVALUATORS: dict[str, str] = {
    "internal": "Internal (the implementing organisation)",
    "independent": "Independent (external evaluator)",
}

#: The six official languages of the United Nations, as the platform codes them.
UN_LANGUAGES: dict[str, str] = {
    "ar": "Arabic",
    "zh-hans": "Chinese",
    "en": "English",
    "fr": "French",
    "ru": "Russian",
    "es": "Spanish",
}


def check_codes(field: str, values: Iterable[str], vocabulary: Mapping[str, str]) -> list[Issue]:
    """Issues for every value of ``values`` that is not a code of ``vocabulary``.

    Examples
    --------
    >>> check_codes("pillars", ["prevention"], PILLARS)
    []
    >>> check_codes("pillars", ["punishment"], PILLARS)[0].code
    'registry.unknown_code'
    """
    issues = []
    for value in values:
        if value not in vocabulary:
            issues.append(
                Issue(
                    code="registry.unknown_code",
                    message=f"{value!r} is not a known code for {field}.",
                    location=Location(field=field),
                    value=str(value),
                    expected=", ".join(vocabulary),
                    fix=f"Use one of: {', '.join(vocabulary)}.",
                )
            )
    return issues
