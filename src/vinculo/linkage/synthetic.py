"""A SYNTHETIC multi-agency, multi-script linkage test set with the truth (no real person).

Four agencies (police, an NGO shelter, a labour inspectorate and a migrant-assistance
organisation) record victims from nine countries (Ukraine, Russia, Moldova, Syria, Iraq, Morocco,
Viet Nam, Colombia, Nigeria). Each agency writes the same person its own way, as real registers
do:

- **scripts**: Cyrillic and Arabic names in the native script or romanised under one of five
  schemes (Шевченко / Shevchenko / Schewtschenko / Chevtchenko); Arabic names in their usual
  spellings (محمد / Mohammed / Muhammad / Mohamed); Vietnamese with or without its diacritics;
  a Ukrainian's Russian given name in a Russian-language register (Олександр / Александр);
- **name structure**: Vietnamese family-first order put in the wrong fields, Spanish double
  surnames kept, cut or hyphenated, Russian and Ukrainian patronymics, Arabic ``bin``/``bint``
  chains and the father's name recorded as the family name, nicknames (Bill/William,
  Sasha/Aleksandr, Pepe/José), keying errors, first and family name swapped;
- **dates**: missing, the default 1900-01-01, 1 January of the year when only the year is known,
  year only, day and month swapped, a wrong digit, a year estimated from the stated age, in
  ISO, ``DD.MM.YYYY`` or ``DD/MM/YYYY`` form by agency;
- **contacts**: mobile phones in national and international forms, changed numbers, a
  household's shared phone; cities in native script or romanised; each agency records its own
  subset of fields (only some keep a passport or national id number, a street or an e-mail);
- **traps**: families (siblings with the same surname, father, city, street and phone and near
  birth years, twins, spouses) identified together, and duplicates within one agency.

Persons appear on one to four lists (most on one). Every record carries ``is_synthetic=TRUE``;
record ids start with ``SYN-``; e-mail addresses use the reserved ``example.*`` domains.

Run ``python -m vinculo.linkage.synthetic --persons 5000 --seed 1 --out DIR`` to write one CSV
per agency plus ``truth.csv`` (``source, record_id, person_id, family_id, culture``).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import itertools
import os
import random
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vinculo.linkage import _synthetic_pools as P
from vinculo.linkage._synthetic_render import AR_LATIN as _AR_LATIN
from vinculo.linkage._synthetic_render import POOLS as _POOLS
from vinculo.linkage._synthetic_render import Draft as _Person
from vinculo.linkage._synthetic_render import Profile as _Profile
from vinculo.linkage._synthetic_render import (
    format_phone,
    render_birth,
    render_names,
    typo_digit,
)
from vinculo.linkage._synthetic_text import (
    SCHEMES,
    feminine_surname,
    strip_diacritics,
    transliterate_cyrillic,
    typo,
)

__all__ = ["AGENCIES", "COLUMNS", "SyntheticSet", "generate"]

AGENCIES = ("police", "ngo_shelter", "labour_inspectorate", "migrant_assistance")
COLUMNS = (
    "record_id",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "prs_MailingCity",
    "prs_MailingPostalCode",
    "prs_MailingStreet",
    "prs_MobilePhone",
    "prs_Email",
    "prs_IdentityNumber",
    "cas_IncomingReferralDate",
    "vic_TypeOfExploitation",
    "is_synthetic",
)
# How many lists a person is on (most on one), and the share of persons in a family group.
LISTS_PER_PERSON = {1: 0.62, 2: 0.24, 3: 0.10, 4: 0.04}
FAMILY_SHARE = 0.1
FAMILY_SIZE = {2: 0.6, 3: 0.3, 4: 0.1}
EXPLOITATION = {
    "ForcedLabour": 55,
    "SexualExploitation": 30,
    "Servitude": 6,
    "ForcedBegging": 5,
    "ForcedMarriage": 4,
}


PROFILES = {  # agency -> its recording habits
    "police": _Profile(
        prefix="POL", weight=1.0, scheme="icao", date_format="dmy_dot", document="passport",
        fields={"given": 1, "middle": 0.7, "family": 1, "birth": 0.92, "sex": 0.97, "citizenship": 0.95,
                "id": 0.55, "phone": 0.5, "email": 0.0, "city": 0.85, "street": 0.0, "postcode": 0.0, "exploitation": 0.7},
        native={"cyr": 0.35, "ar": 0.1, "vi": 0.3, "ru_form": 0.2},
        dates={"default": 0.02, "jan1": 0.04, "year": 0.02, "swap": 0.03, "digit": 0.03, "age": 0.02},
        nickname=0.04, typo=0.04, swap=0.03, upper=0.5, dup=0.05,
    ),
    "ngo_shelter": _Profile(
        prefix="SHL", weight=0.8, scheme="informal", date_format="iso", document="passport",
        fields={"given": 1, "middle": 0.0, "family": 0.97, "birth": 0.8, "sex": 0.9, "citizenship": 0.7,
                "id": 0.0, "phone": 0.8, "email": 0.5, "city": 0.9, "street": 0.6, "postcode": 0.4, "exploitation": 0.9},
        native={"cyr": 0.2, "ar": 0.25, "vi": 0.6, "ru_form": 0.1},
        dates={"default": 0.01, "jan1": 0.05, "year": 0.08, "swap": 0.03, "digit": 0.03, "age": 0.04},
        nickname=0.2, typo=0.05, swap=0.04, upper=0.0, dup=0.07,
        exploitation_bias={"SexualExploitation": 2.0, "ForcedLabour": 0.6},
        female_bias=1.5,
    ),
    "labour_inspectorate": _Profile(
        prefix="LAB", weight=0.7, scheme="german", date_format="dmy_slash", document="national",
        fields={"given": 1, "middle": 0.0, "family": 1, "birth": 0.85, "sex": 0.8, "citizenship": 0.9,
                "id": 0.5, "phone": 0.4, "email": 0.0, "city": 0.9, "street": 0.7, "postcode": 0.6, "exploitation": 0.95},
        native={"cyr": 0.3, "ar": 0.05, "vi": 0.2, "ru_form": 0.3},
        dates={"default": 0.03, "jan1": 0.05, "year": 0.03, "swap": 0.04, "digit": 0.03, "age": 0.04},
        nickname=0.05, typo=0.05, swap=0.03, upper=0.3, dup=0.04,
        exploitation_bias={"ForcedLabour": 2.5, "SexualExploitation": 0.15},
    ),
    "migrant_assistance": _Profile(
        prefix="MIG", weight=0.9, scheme="bgn", date_format="iso", document="passport",
        fields={"given": 1, "middle": 0.5, "family": 1, "birth": 0.9, "sex": 0.95, "citizenship": 1.0,
                "id": 0.65, "phone": 0.8, "email": 0.4, "city": 0.7, "street": 0.0, "postcode": 0.0, "exploitation": 0.8},
        native={"cyr": 0.15, "ar": 0.15, "vi": 0.5, "ru_form": 0.1},
        dates={"default": 0.01, "jan1": 0.06, "year": 0.03, "swap": 0.03, "digit": 0.03, "age": 0.04},
        nickname=0.08, typo=0.04, swap=0.03, upper=0.2, dup=0.05,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class SyntheticSet:
    """The generated set: each agency's rows (HTCDS columns) and the truth.

    Attributes
    ----------
    sources : dict of str to list of dict
        Agency name -> rows (column -> text, ``""`` when not recorded), in file order.
    truth : dict of (source, record_id) to str
        The person each record belongs to (``P000001`` ...).
    families : dict of str to str
        Person -> family group (``F00001`` ...) for persons generated as relatives of another.
    seed : int
    cultures : dict of str to str
        Person -> naming culture: ``ru``, ``uk`` (Cyrillic), ``ar`` (Arabic), ``vi`` (Vietnamese),
        ``es`` (Spanish), ``ng`` (Nigerian English, Yoruba, Igbo, Hausa), ``ro`` (Romanian).
    """

    sources: dict[str, list[dict[str, str]]]
    truth: dict[tuple[str, str], str]
    families: dict[str, str]
    seed: int
    cultures: dict[str, str] = field(default_factory=dict)

    @property
    def n_records(self) -> int:
        return sum(len(rows) for rows in self.sources.values())

    @property
    def n_persons(self) -> int:
        return len(set(self.truth.values()))

    def write(self, folder: str | Path) -> list[Path]:
        """Write ``<agency>.csv`` (UTF-8) for each agency and ``truth.csv``; return the paths.

        Each file is written to a temporary file in ``folder`` and renamed, so a failed write
        leaves nothing half-written.
        """
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, rows in self.sources.items():
            paths.append(_write_csv(out / f"{name}.csv", list(COLUMNS), rows))
        truth_rows = [
            {
                "source": s,
                "record_id": r,
                "person_id": p,
                "family_id": self.families.get(p, ""),
                "culture": self.cultures.get(p, ""),
            }
            for (s, r), p in self.truth.items()
        ]
        columns = ["source", "record_id", "person_id", "family_id", "culture"]
        paths.append(_write_csv(out / "truth.csv", columns, truth_rows))
        return paths


def _write_csv(path: Path, columns: list[str], rows: Sequence[Mapping[str, str]]) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


class _Choice:
    """Weighted choice with a cumulative table (one random() and a bisect)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.items = list(weights)
        self.cum = list(itertools.accumulate(weights.values()))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _zipf(items: Sequence[Any], s: float = 0.7) -> _Choice:
    return _Choice({item: 1.0 / (rank + 1) ** s for rank, item in enumerate(items)})


_DOC_FORMAT = {
    "UA": ("LL", 6), "RU": ("LL", 7), "MD": ("LL", 7), "SY": ("N", 8), "IQ": ("A", 8), "MA": ("LL", 7),
    "VN": ("C", 7), "CO": ("AQ", 6), "NG": ("A", 8),
}  # fmt: skip


class _Generator:
    def __init__(self, seed: int, agencies: Sequence[str]) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic test data, not security
        self.agencies = list(agencies)
        profiles = list(PROFILES.values())
        self.profiles = {a: PROFILES.get(a, profiles[i % len(profiles)]) for i, a in enumerate(agencies)}
        self.country = _Choice(P.COUNTRY_WEIGHTS)
        self.cultures = {c: _Choice(w) for c, w in P.COUNTRY_CULTURES.items()}
        self.given: dict[tuple[str, str], _Choice] = {}
        self.family: dict[str, _Choice] = {}
        for culture, pool in _POOLS.items():
            for sex in ("m", "f"):
                names = [n[0] if isinstance(n, tuple) else n for n in pool[sex]]
                self.given[culture, sex] = _zipf(names)
            if culture == "vi":
                self.family[culture] = _Choice(dict(pool["family"]))
            else:
                self.family[culture] = _zipf([n[0] if isinstance(n, tuple) else n for n in pool["family"]])
        self.vi_middle = {"m": _zipf(P.VI_MIDDLE_MALE, 1.2), "f": _zipf(P.VI_MIDDLE_FEMALE, 1.5)}
        self.lists = _Choice(LISTS_PER_PERSON)
        self.family_size = _Choice(FAMILY_SIZE)
        self.exploitation = _Choice(EXPLOITATION)
        self.emails: set[str] = set()

    # --- persons -------------------------------------------------------------------------
    def _given(self, culture: str, female: bool) -> str:
        return str(self.given[culture, "f" if female else "m"](self.rng))

    def _phone(self, country: str) -> str:
        _cc, _trunk, prefixes, digits = P.PHONE_PLAN[country]
        prefix = self.rng.choice(prefixes)
        rest = "".join(str(self.rng.randrange(10)) for _ in range(digits - len(prefix)))
        return prefix + rest

    def _document(self, country: str) -> str:
        letters, digits = _DOC_FORMAT[country]
        head = "".join(self.rng.choice("ABCEHKMNPTX") for _ in letters) if letters == "LL" else letters
        return head + "".join(str(self.rng.randrange(10)) for _ in range(digits))

    def _postcode(self, country: str) -> str:
        return "".join(str(self.rng.randrange(10)) if c == "#" else c for c in P.POSTCODE[country])

    def person(self, key: str, like: _Person | None = None) -> _Person:
        rng = self.rng
        country = like.country if like else self.country(rng)
        culture = like.culture if like else self.cultures[country](rng)
        female = rng.random() < 0.55
        given2 = ""
        if (culture == "es" and rng.random() < 0.35) or (culture == "ng" and rng.random() < 0.5):
            given2 = self._given(culture, female)
        if culture == "vi":
            given2 = str(self.vi_middle["f" if female else "m"](rng))
        family = str(self.family[culture](rng))
        family2 = str(self.family[culture](rng)) if culture == "es" else ""
        if female:
            family = feminine_surname(family, culture)
        age = rng.choice((rng.randint(12, 17), *[rng.randint(18, 45)] * 5, rng.randint(46, 62)))
        year = rng.randint(2019, 2024)
        birth = (
            None if rng.random() < 0.04 else dt.date(year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
        )
        phones: tuple[str, ...] = (self._phone(country),) if rng.random() < 0.85 else ()
        if phones and rng.random() < 0.3:
            phones = (*phones, self._phone(country))
        return _Person(
            key=key, culture=culture, country=country, female=female, given=self._given(culture, female),
            given2=given2, father=self._given(culture, False) if culture in ("ru", "uk", "ar") else "",
            family=family, family2=family2, birth=birth, city=rng.randrange(len(P.CITIES[country])),
            street=f"{rng.choice(P.STREETS[country])} {rng.randint(1, 120)}", postcode=self._postcode(country),
            phones=phones, email="", passport=self._document(country) if rng.random() < 0.7 else "",
            national_id="".join(str(rng.randrange(10)) for _ in range(10)) if rng.random() < 0.8 else "",
            year=year, exploitation=self.exploitation(rng),
        )  # fmt: skip

    def relative(self, head: _Person, key: str, spouse: bool) -> _Person:
        """A sibling (same father, family name, home) or spouse of ``head``."""
        rng = self.rng
        p = self.person(key, like=head)
        p.city, p.street, p.postcode = head.city, head.street, head.postcode
        p.year, p.exploitation = head.year, head.exploitation if rng.random() < 0.8 else p.exploitation
        if spouse:
            p.female = not head.female
            p.given = self._given(p.culture, p.female)
            p.given2 = str(self.vi_middle["f" if p.female else "m"](rng)) if p.culture == "vi" else ""
            p.father = self._given(p.culture, False) if p.culture in ("ru", "uk", "ar") else ""
            base = self._masculine(head)
            p.family = (
                feminine_surname(base, p.culture)
                if p.female and p.culture in ("ru", "uk", "ro", "ng")
                else (base if p.culture in ("ro", "ng", "ru", "uk") else self.family[p.culture](rng))
            )
            p.family2 = self.family[p.culture](rng) if p.culture == "es" else ""
            spread = rng.randint(-6, 6)
        else:
            p.father, p.family2 = head.father, head.family2
            p.given = self._given(p.culture, p.female)
            while p.given == head.given:
                p.given = self._given(p.culture, p.female)
            base = self._masculine(head)
            p.family = feminine_surname(base, p.culture) if p.female else base
            spread = 0 if rng.random() < 0.05 else rng.choice((-1, 1)) * rng.randint(1, 8)
        if head.birth is not None and p.birth is not None:
            if spread == 0 and not spouse:
                p.birth = head.birth  # twins
            else:
                p.birth = dt.date(head.birth.year + spread, 1, 1) + dt.timedelta(days=rng.randrange(365))
        if head.phones and rng.random() < 0.35:
            p.phones = (head.phones[0], *p.phones[1:])
        return p

    def _masculine(self, head: _Person) -> str:
        if head.female and head.culture in ("ru", "uk"):
            for candidate in _POOLS[head.culture]["family"]:
                if feminine_surname(candidate, head.culture) == head.family:
                    return str(candidate)
        return head.family

    # --- records --------------------------------------------------------------------------
    def list_set(self, p: _Person) -> list[str]:
        k = min(self.lists(self.rng), len(self.agencies))
        weights = {}
        for a in self.agencies:
            prof = self.profiles[a]
            w = prof.weight * prof.exploitation_bias.get(p.exploitation, 1.0)
            if p.female:
                w *= prof.female_bias
            weights[a] = w
        chosen: list[str] = []
        for _ in range(k):
            pick = _Choice({a: w for a, w in weights.items() if a not in chosen})(self.rng)
            chosen.append(pick)
        return chosen

    def record(self, p: _Person, agency: str) -> dict[str, str]:
        rng = self.rng
        prof = self.profiles[agency]
        f = prof.fields

        def keep(name: str) -> bool:
            return rng.random() < f.get(name, 0.0)

        native = {k: rng.random() < v for k, v in prof.native.items()}
        scheme = prof.scheme if rng.random() < 0.8 else rng.choice(SCHEMES)
        first, middle, second = render_names(p, prof, native, scheme, rng)
        if not keep("middle"):
            middle = ""
        if rng.random() < prof.swap:
            first, second = second, first
        first, middle, second = (self._typos(x, prof) for x in (first, middle, second))
        if rng.random() < prof.upper:
            first, middle, second = first.upper(), middle.upper(), second.upper()
        row = dict.fromkeys(COLUMNS, "")
        row["prs_FirstName"], row["prs_MiddleName"] = first, middle
        row["prs_SecondName"] = second if keep("family") else ""
        if keep("birth"):
            row["prs_Birthdate"] = render_birth(p, prof, rng)
        if keep("sex"):
            female = p.female if rng.random() > 0.01 else not p.female
            row["prs_Gender"] = "Feminine" if female else "Masculine"
        if keep("citizenship"):
            row["prs_Citizenship"] = p.country if rng.random() > 0.03 else self.country(rng)
        city = P.CITIES[p.country][p.city if rng.random() < 0.9 else rng.randrange(len(P.CITIES[p.country]))]
        if keep("city"):
            script_native = (
                native["ar"]
                if p.culture == "ar"
                else native["cyr"]
                if p.culture in ("ru", "uk")
                else native["vi"]
            )
            row["prs_MailingCity"] = city[0] if script_native else rng.choice(city[1:])
        if keep("street"):
            row["prs_MailingStreet"] = p.street
        if keep("postcode"):
            row["prs_MailingPostalCode"] = p.postcode
        if p.phones and keep("phone"):
            number = p.phones[0] if len(p.phones) == 1 or rng.random() < 0.6 else p.phones[1]
            row["prs_MobilePhone"] = format_phone(number, p.country, rng)
        if keep("email"):
            row["prs_Email"] = self.email(p)
        number = p.passport if prof.document == "passport" else p.national_id
        if number and keep("id"):
            row["prs_IdentityNumber"] = typo_digit(number, rng) if rng.random() < 0.02 else number
        ref = dt.date(p.year, 1, 1) + dt.timedelta(days=rng.randrange(365) + rng.choice((0, 0, 0, 200)))
        row["cas_IncomingReferralDate"] = ref.isoformat()
        if keep("exploitation"):
            row["vic_TypeOfExploitation"] = p.exploitation if rng.random() > 0.05 else self.exploitation(rng)
        row["is_synthetic"] = "TRUE"
        return row

    def _typos(self, text: str, prof: _Profile) -> str:
        if not text:
            return text
        return " ".join(typo(w, self.rng) if self.rng.random() < prof.typo else w for w in text.split(" "))

    def email(self, p: _Person) -> str:
        if not p.email:
            g = (
                transliterate_cyrillic(p.given, "icao", ukrainian=p.culture == "uk")
                if p.culture in ("ru", "uk")
                else p.given
            )
            fam = (
                transliterate_cyrillic(p.family, "icao", ukrainian=p.culture == "uk")
                if p.culture in ("ru", "uk")
                else p.family
            )
            if p.culture == "ar":
                g, fam = _AR_LATIN[p.given][0], _AR_LATIN[p.family][0]
            g, fam = (strip_diacritics(x).lower().replace(" ", "").replace("-", "") for x in (g, fam))
            year = p.birth.year % 100 if p.birth else self.rng.randint(70, 99)
            handle = self.rng.choice(
                (f"{g}.{fam}", f"{g}{fam}{year:02d}", f"{g[:1]}{fam}", f"{fam}.{g}{self.rng.randint(1, 999)}")
            )
            domain = self.rng.choice(("example.com", "example.net", "example.org"))
            address = f"{handle}@{domain}"
            while address in self.emails:
                address = f"{handle}{self.rng.randint(1, 9999)}@{domain}"
            self.emails.add(address)
            p.email = address
        return p.email


def generate(n_persons: int, *, seed: int, agencies: Sequence[str] = AGENCIES) -> SyntheticSet:
    """Generate a SYNTHETIC linkage test set of ``n_persons`` persons with the truth.

    Parameters
    ----------
    n_persons : int
        Number of distinct persons (each appears on one to four agencies' lists).
    seed : int
        The same ``(n_persons, seed, agencies)`` always gives the same set.
    agencies : sequence of str
        Agency (source) names; the four default names have their own recording habits, other
        names take those habits in turn.

    Returns
    -------
    SyntheticSet

    Examples
    --------
    >>> s = generate(200, seed=1)
    >>> sorted(s.sources)
    ['labour_inspectorate', 'migrant_assistance', 'ngo_shelter', 'police']
    >>> s.n_persons <= 200
    True
    """
    if n_persons < 0:
        raise ValueError("n_persons must be >= 0")
    if len(set(agencies)) != len(agencies) or not agencies:
        raise ValueError("agencies must be distinct names, at least one")
    g = _Generator(seed, agencies)
    rng = g.rng
    persons: list[_Person] = []
    lists: dict[str, list[str]] = {}
    families: dict[str, str] = {}
    n_families = 0
    while len(persons) < n_persons:
        head = g.person(f"P{len(persons) + 1:06d}")
        persons.append(head)
        lists[head.key] = g.list_set(head)
        if rng.random() < FAMILY_SHARE and len(persons) < n_persons:
            n_families += 1
            fam = f"F{n_families:05d}"
            families[head.key] = fam
            size = min(g.family_size(rng), n_persons - len(persons) + 1)
            has_spouse = False
            for _ in range(size - 1):
                spouse = not has_spouse and rng.random() < 0.35
                has_spouse = has_spouse or spouse
                rel = g.relative(head, f"P{len(persons) + 1:06d}", spouse)
                persons.append(rel)
                families[rel.key] = fam
                lists[rel.key] = list(lists[head.key]) if rng.random() < 0.6 else g.list_set(rel)
    records: dict[str, list[tuple[str, dict[str, str]]]] = {a: [] for a in agencies}
    for p in persons:
        for a in lists[p.key]:
            records[a].append((p.key, g.record(p, a)))
            if rng.random() < g.profiles[a].dup:
                records[a].append((p.key, g.record(p, a)))
    sources: dict[str, list[dict[str, str]]] = {}
    truth: dict[tuple[str, str], str] = {}
    for a in agencies:
        rows = records[a]
        rng.shuffle(rows)
        prefix = g.profiles[a].prefix if a in PROFILES else a.upper()[:3]
        numbers = rng.sample(range(1, max(10 * len(rows), 10) + 1), len(rows))
        out = []
        for (key, row), num in zip(rows, numbers, strict=True):
            rid = f"SYN-{prefix}-{num:06d}"
            row["record_id"] = rid
            truth[a, rid] = key
            out.append(row)
        sources[a] = out
    cultures = {p.key: p.culture for p in persons}
    return SyntheticSet(sources=sources, truth=truth, families=families, seed=seed, cultures=cultures)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vinculo.linkage.synthetic",
        description="Write a SYNTHETIC multi-agency linkage test set (one CSV per agency + truth.csv).",
    )
    parser.add_argument("--persons", type=int, default=5000, help="number of distinct persons (default 5000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", required=True, help="folder to write into")
    args = parser.parse_args(argv)
    s = generate(args.persons, seed=args.seed)
    for path in s.write(args.out):
        print(path)
    print(f"{s.n_persons} persons, {s.n_records} records (synthetic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
