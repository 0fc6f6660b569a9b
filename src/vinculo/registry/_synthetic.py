"""Synthetic programmes for demonstrations and benchmarks. Every one is labelled as synthetic.

The text is assembled from short phrases in English, French, Spanish and Arabic, so that search
can be exercised in several languages; titles start with "[Synthetic]" and every problem statement
says the programme is not real.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from ._evidence import EvaluationFacts, IndicatorFacts, suggest_evidence_rating
from ._vocabulary import EVALUATION_DESIGNS, EVALUATORS, FORMS_OF_EXPLOITATION, PILLARS, TARGET_GROUPS

__all__ = ["SYNTHETIC_LABEL", "SYNTHETIC_NOTE", "generate_programmes"]

SYNTHETIC_LABEL = "[Synthetic]"
SYNTHETIC_NOTE = "Synthetic programme generated for demonstration; it does not describe a real programme."

_TEXT: dict[str, dict[str, list[str]]] = {
    "en": {
        "action": ["Strengthening", "Improving", "Expanding", "Building", "Supporting"],
        "object": [
            "shelter and assistance for survivors",
            "victim identification at borders",
            "labour inspection in agriculture",
            "prosecution of trafficking cases",
            "awareness in schools",
            "referral mechanisms for migrant workers",
            "cooperation between police and NGOs",
            "online recruitment monitoring",
        ],
        "problem": [
            "Few victims are identified and many are punished for offences they were forced to commit.",
            "Recruitment agencies charge workers fees that lead to debt bondage.",
            "Survivors lack safe accommodation, legal aid and psychological support.",
            "Investigations rarely follow the money and convictions remain low.",
        ],
        "activity": [
            "training of frontline officers",
            "a helpline open day and night",
            "case management for survivors",
            "joint investigations",
            "community outreach campaigns",
        ],
        "lesson": [
            "Survivor participation improved the design of services.",
            "Joint training built trust between agencies.",
            "Data sharing agreements took longer than planned.",
        ],
    },
    "fr": {
        "action": ["Renforcer", "Améliorer", "Élargir", "Soutenir"],
        "object": [
            "l'hébergement et l'assistance aux victimes",
            "l'identification des victimes aux frontières",
            "les poursuites dans les affaires de traite",
            "la sensibilisation dans les écoles",
            "la protection des enfants exploités",
        ],
        "problem": [
            "Peu de victimes de la traite sont identifiées et orientées vers une protection.",
            "Les enfants travaillent dans les mines et l'agriculture sans protection.",
        ],
        "activity": ["formation des policiers", "assistance juridique", "campagnes de prévention"],
        "lesson": ["La coordination entre ministères a renforcé la protection des victimes."],
    },
    "es": {
        "action": ["Fortalecer", "Mejorar", "Ampliar", "Apoyar"],
        "object": [
            "la protección de víctimas de trata",
            "la identificación de víctimas en fronteras",
            "la persecución penal de la trata de personas",
            "la prevención del trabajo forzoso",
            "los albergues para niñas y mujeres",
        ],
        "problem": [
            "Las víctimas de trata rara vez reciben asistencia y protección integral.",
            "Las agencias de contratación engañan a trabajadores migrantes.",
        ],
        "activity": ["capacitación de fiscales", "asistencia psicológica", "líneas de ayuda"],
        "lesson": ["La participación de sobrevivientes mejoró los servicios."],
    },
    "ar": {
        "action": ["تعزيز", "تحسين", "دعم", "توسيع"],
        "object": [
            "حماية ضحايا الاتجار بالأشخاص",
            "مساعدة الناجين وإيوائهم",
            "ملاحقة قضايا الاتجار بالبشر",
            "التوعية بمخاطر العمل القسري",
            "حماية الأطفال من الاستغلال",
        ],
        "problem": [
            "قلة عدد الضحايا الذين يتم التعرف عليهم وإحالتهم إلى خدمات الحماية.",
            "يتعرض العمال المهاجرون للاستغلال بسبب الديون.",
        ],
        "activity": ["تدريب موظفي إنفاذ القانون", "خط مساعدة هاتفي", "المساعدة القانونية"],
        "lesson": ["أدى التنسيق بين الجهات إلى تحسين حماية الضحايا."],
    },
}
_LANG_WEIGHTS = {"en": 0.55, "fr": 0.15, "es": 0.15, "ar": 0.15}
_CURRENCIES = ["USD", "EUR", "GBP", "XOF", "KES", "THB", "MXN", "CHF", "NGN", "INR"]
_FUNDERS = ["Synthetic Foundation", "Example Development Agency", "Demo Trust"]


def _sample(rng: random.Random, items: Sequence[str], low: int, high: int) -> list[str]:
    return rng.sample(list(items), rng.randint(low, min(high, len(items))))


def _text(rng: random.Random, lang: str) -> dict[str, str]:
    words = _TEXT[lang]
    title = f"{SYNTHETIC_LABEL} {rng.choice(words['action'])} {rng.choice(words['object'])}"
    return {
        "title": title,
        "problem_statement": f"{SYNTHETIC_NOTE} {rng.choice(words['problem'])}",
        "objectives": f"{rng.choice(words['action'])} {rng.choice(words['object'])}.",
        "activities": "; ".join(_sample(rng, words["activity"], 1, 3)) + ".",
        "lessons_learned": rng.choice(words["lesson"]),
    }


def generate_programmes(n: int, countries: Sequence[str], *, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` synthetic programme records as field mappings, reproducible from ``seed``.

    Parameters
    ----------
    n
        How many programmes.
    countries
        ISO 3166-1 alpha-3 codes to draw the countries of each programme from.
    seed
        Seed of the random generator.

    Returns
    -------
    list of dict
        Fields as :func:`check_programme` expects, plus ``countries`` (ISO3 codes),
        ``translations`` (language -> field -> text), ``indicators`` and ``evaluations``.

    Examples
    --------
    >>> rows = generate_programmes(2, ["NGA", "FRA"], seed=1)
    >>> rows[0]["title"].startswith("[Synthetic]")
    True
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    languages = list(_LANG_WEIGHTS)
    weights = list(_LANG_WEIGHTS.values())
    out: list[dict[str, Any]] = []
    for _ in range(n):
        lang = rng.choices(languages, weights)[0]
        record: dict[str, Any] = {"original_language": lang, **_text(rng, lang)}
        start = date(2005, 1, 1) + timedelta(days=rng.randint(0, 20 * 365))
        end = start + timedelta(days=rng.randint(180, 5 * 365)) if rng.random() < 0.85 else None
        evaluations: list[dict[str, Any]] = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            evaluations.append(
                {
                    "evaluator_name": rng.choice(["Internal M&E unit", "Example Evaluation Ltd (synthetic)"]),
                    "evaluator": rng.choice(list(EVALUATORS)),
                    "design": rng.choice(list(EVALUATION_DESIGNS)),
                    "date": end or start + timedelta(days=365),
                    "method": "Synthetic evaluation record.",
                    "effectiveness": "Most targets were reached (synthetic finding).",
                    "relevance": "Addressed needs identified by survivors (synthetic finding).",
                }
            )
        indicators = [
            {
                "name": rng.choice(
                    ["Victims identified", "Officers trained", "Cases prosecuted", "Survivors assisted"]
                ),
                "unit": "persons",
                "baseline": str(rng.randint(0, 200)),
                "target": str(rng.randint(200, 1000)),
                "result": str(rng.randint(0, 1000)) if rng.random() < 0.6 else "",
                "source": "Programme records (synthetic)",
            }
            for _ in range(rng.randint(0, 3))
        ]
        assessment = suggest_evidence_rating(
            [EvaluationFacts(e["design"], e["evaluator"]) for e in evaluations],
            [IndicatorFacts(bool(i["baseline"]), bool(i["result"])) for i in indicators],
        )
        translations: dict[str, dict[str, str]] = {}
        if lang != "en" and rng.random() < 0.5:
            translations["en"] = {
                "title": f"{SYNTHETIC_LABEL} (translated) " + _text(rng, "en")["title"][12:]
            }
        record.update(
            {
                "start_date": start,
                "end_date": end,
                "budget_amount": str(rng.randint(10, 5000) * 1000) if rng.random() < 0.8 else None,
                "budget_currency": rng.choice(_CURRENCIES),
                "pillars": _sample(rng, list(PILLARS), 1, 3),
                "forms": _sample(rng, list(FORMS_OF_EXPLOITATION), 1, 3),
                "target_groups": _sample(rng, list(TARGET_GROUPS), 1, 4),
                "evidence_rating": assessment.rating,
                "evidence_rationale": " ".join(assessment.reasons) if evaluations else "",
                "countries": _sample(rng, countries, 1, 3),
                "implementing_other": "",
                "funding_other": rng.choice(_FUNDERS) + " (synthetic)",
                "indicators": indicators,
                "evaluations": evaluations,
                "translations": translations,
            }
        )
        out.append(record)
    return out
