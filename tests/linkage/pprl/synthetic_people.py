"""A small generator of corrupted copies of persons across agencies, for the PPRL tests.

Not D's multi-script generator: a few hundred persons, each appearing in some of the agencies with
typos, a missing field, swapped name order or swapped day/month, plus some within-agency duplicates.
"""

from __future__ import annotations

import random

from vinculo.linkage.model import Person, Source

GIVEN = [
    "ana",
    "maria",
    "oleg",
    "ivan",
    "fatima",
    "mohammed",
    "li",
    "wei",
    "olga",
    "nadia",
    "pedro",
    "rosa",
    "amina",
    "yusuf",
    "elena",
    "dmitri",
    "sara",
    "omar",
    "lucia",
    "tomas",
    "hana",
    "jun",
    "ines",
    "karim",
]
FAMILY = [
    "lima",
    "petrenko",
    "sidorov",
    "ali",
    "hassan",
    "nguyen",
    "tran",
    "garcia",
    "silva",
    "kowalski",
    "novak",
    "haddad",
    "chen",
    "wang",
    "popescu",
    "ionescu",
    "mendes",
    "costa",
    "rahman",
    "karimi",
    "okafor",
    "mensah",
    "diallo",
    "traore",
    "barros",
    "duarte",
    "moreau",
    "fischer",
]
CITIES = ["odesa", "kyiv", "lviv", "chisinau", "iasi", "warsaw", "porto", "lagos", "accra", "dakar"]


def _typo(rng: random.Random, token: str) -> str:
    if len(token) < 3:
        return token
    i = rng.randrange(1, len(token) - 1)
    op = rng.choice(("swap", "drop", "sub"))
    if op == "swap":
        return token[:i] + token[i + 1] + token[i] + token[i + 2 :]
    if op == "drop":
        return token[:i] + token[i + 1 :]
    return token[:i] + rng.choice("aeioustnr") + token[i + 1 :]


def generate(n_persons: int, agencies: tuple[str, ...], *, seed: int, dup_rate: float = 0.05):
    """``(sources, truth)``: one :class:`Source` per agency, ``truth[(source, record_id)] = person``."""
    rng = random.Random(seed)
    persons = []
    for k in range(n_persons):
        persons.append(
            {
                "given": rng.choice(GIVEN),
                "family": rng.choice(FAMILY),
                "year": rng.randint(1950, 2010),
                "month": rng.randint(1, 12),
                "day": rng.randint(1, 28),
                "sex": rng.choice("fm"),
                "city": rng.choice(CITIES),
                "phone": f"+380{rng.randint(10**8, 10**9 - 1)}",
                "key": k,
            }
        )
    truth: dict[tuple[str, str], int] = {}
    sources = []
    for agency in agencies:
        rows: list[Person] = []
        for p in persons:
            if rng.random() > 0.6:
                continue
            copies = 2 if rng.random() < dup_rate else 1
            for _ in range(copies):
                given, family = p["given"], p["family"]
                if rng.random() < 0.3:
                    given = _typo(rng, given)
                if rng.random() < 0.3:
                    family = _typo(rng, family)
                day, month = p["day"], p["month"]
                if rng.random() < 0.1 and day <= 12:
                    day, month = month, day
                year = p["year"] if rng.random() > 0.05 else p["year"] + rng.choice((-1, 1))
                g, f = (given,), (family,)
                if rng.random() < 0.1:
                    g, f = f, g
                rid = f"{agency[:1]}{len(rows) + 1}"
                rows.append(
                    Person(
                        source=agency,
                        record_id=rid,
                        row=len(rows) + 2,
                        given=g,
                        family=f,
                        given_canonical=g,
                        family_canonical=f,
                        birth_year=year,
                        birth_month=month,
                        birth_day=day,
                        sex=p["sex"],
                        city=p["city"] if rng.random() > 0.1 else "",
                        phone=p["phone"] if rng.random() > 0.5 else "",
                    )
                )
                truth[(agency, rid)] = p["key"]
        sources.append(Source(name=agency, persons=tuple(rows), file=f"{agency}.csv"))
    return sources, truth


def pair_quality(clusters, truth) -> tuple[float, float]:
    """Pairwise precision and recall of ``clusters`` against ``truth``."""
    from collections import defaultdict
    from itertools import combinations

    found = defaultdict(list)
    true = defaultdict(list)
    for r, c in clusters.items():
        found[c].append(r)
        true[truth[r]].append(r)
    fpairs = {frozenset(p) for g in found.values() for p in combinations(g, 2)}
    tpairs = {frozenset(p) for g in true.values() for p in combinations(g, 2)}
    tp = len(fpairs & tpairs)
    return tp / max(1, len(fpairs)), tp / max(1, len(tpairs))
