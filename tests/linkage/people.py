"""A small seeded population with families and messy records, for the trusted-linkage tests.

Persons belong to families (siblings share the family name, city, street and phone prefix and
have near birth years and different given names); each source holds a random subset, each record
corrupted the way case files are: typos, day and month swapped, year only, missing date, given
and family name swapped, phone in national form, Cyrillic script.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

GIVEN_F = [
    "maria",
    "elena",
    "olena",
    "fatima",
    "aisha",
    "anna",
    "irina",
    "svetlana",
    "grace",
    "joy",
    "blessing",
    "mercy",
    "linh",
    "thu",
    "mai",
    "amina",
    "zainab",
    "natalia",
    "oksana",
    "rosa",
    "lucia",
    "carmen",
    "esther",
    "ruth",
    "sofia",
    "daria",
    "yulia",
    "hanna",
    "nadia",
    "leila",
]
GIVEN_M = [
    "ivan",
    "oleksandr",
    "mohammed",
    "ahmed",
    "john",
    "peter",
    "samuel",
    "daniel",
    "minh",
    "tuan",
    "hung",
    "omar",
    "yusuf",
    "ali",
    "sergei",
    "dmitri",
    "pavel",
    "andriy",
    "taras",
    "emeka",
    "chidi",
    "tunde",
    "kwame",
    "kofi",
    "jose",
    "carlos",
    "luis",
    "miguel",
    "pedro",
    "amir",
]
FAMILY = [
    "kovalenko",
    "shevchenko",
    "bondarenko",
    "nguyen",
    "tran",
    "le",
    "pham",
    "okafor",
    "adeyemi",
    "mensah",
    "hassan",
    "hussein",
    "rahman",
    "ivanova",
    "petrenko",
    "melnyk",
    "garcia",
    "lopez",
    "martinez",
    "rodriguez",
    "boateng",
    "owusu",
    "diallo",
    "traore",
    "popescu",
    "ionescu",
    "marin",
    "kozak",
    "savchenko",
    "tkachenko",
    "moroz",
    "lysenko",
    "rudenko",
    "kravets",
    "oliinyk",
    "yusupov",
    "karimov",
    "aliyev",
    "mammadov",
    "demir",
]
CITIES = [
    "kyiv",
    "lviv",
    "odesa",
    "kharkiv",
    "lagos",
    "accra",
    "hanoi",
    "chisinau",
    "bucharest",
    "warsaw",
    "madrid",
    "milan",
    "istanbul",
    "tashkent",
    "baku",
]
CYRILLIC = str.maketrans(
    {
        "a": "а",
        "b": "б",
        "v": "в",
        "g": "г",
        "d": "д",
        "e": "е",
        "z": "з",
        "i": "і",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "f": "ф",
        "h": "х",
        "y": "и",
    }
)


@dataclass
class Person:
    key: str
    family_key: str
    given: str
    family: str
    sex: str
    year: int
    month: int
    day: int
    city: str
    phone: str


def population(n_families: int, *, seed: int) -> list[Person]:
    rng = random.Random(seed)
    people: list[Person] = []
    for f in range(n_families):
        family = rng.choice(FAMILY)
        city = rng.choice(CITIES)
        base_year = rng.randint(1975, 2008)
        used: set[str] = set()
        for s in range(rng.choice([1, 1, 2, 2, 3])):
            sex = rng.choice("fm")
            names = [g for g in (GIVEN_F if sex == "f" else GIVEN_M) if g not in used]
            given = rng.choice(names)
            used.add(given)
            people.append(
                Person(
                    key=f"p{f}-{s}",
                    family_key=f"f{f}",
                    given=given,
                    family=family,
                    sex=sex,
                    year=base_year + rng.randint(0, 4) * (1 if s else 0) + s,
                    month=rng.randint(1, 12),
                    day=rng.randint(1, 28),
                    city=city,
                    phone=f"+380{rng.randint(50, 99)}{rng.randint(1000000, 9999999)}",
                )
            )
    return people


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def record(rng: random.Random, p: Person, rid: str, *, messy: bool = True) -> dict[str, str]:
    given, family = p.given, p.family
    birth = f"{p.year:04d}-{p.month:02d}-{p.day:02d}"
    phone = p.phone
    city = p.city
    if messy:
        r = rng.random()
        if r < 0.15:
            given = _typo(rng, given)
        elif r < 0.25:
            family = _typo(rng, family)
        r = rng.random()
        if r < 0.08 and p.day <= 12:
            birth = f"{p.year:04d}-{p.day:02d}-{p.month:02d}"
        elif r < 0.14:
            birth = f"{p.year:04d}"
        elif r < 0.22:
            birth = ""
        if rng.random() < 0.06:
            given, family = family, given
        if rng.random() < 0.3:
            phone = "0" + phone[4:]
        if rng.random() < 0.3:
            phone = ""
        if rng.random() < 0.1:
            given, family, city = (w.translate(CYRILLIC) for w in (given, family, city))
    return {
        "record_id": rid,
        "prs_FirstName": given.title() if rng.random() < 0.5 else given.upper(),
        "prs_SecondName": family.title(),
        "prs_Birthdate": birth,
        "prs_Gender": {"f": "Female", "m": "Male"}[p.sex],
        "prs_MailingCity": city.title(),
        "prs_MobilePhone": phone,
    }


def sources(
    people: list[Person], *, seed: int, shares: dict[str, float], duplicates: float = 0.05
) -> tuple[dict[str, list[dict[str, str]]], dict[tuple[str, str], str]]:
    """Rows per source (HTCDS columns + record_id) and the truth: (source, record_id) -> person."""
    rng = random.Random(seed)
    out: dict[str, list[dict[str, str]]] = {}
    truth: dict[tuple[str, str], str] = {}
    for name, share in shares.items():
        rows = []
        for p in people:
            if rng.random() < share:
                copies = 2 if rng.random() < duplicates else 1  # within-source duplicates
                for _ in range(copies):
                    rid = f"{name[:1]}{len(rows) + 1}"
                    rows.append(record(rng, p, rid))
                    truth[(name, rid)] = p.key
        rng.shuffle(rows)
        out[name] = rows
    return out, truth
