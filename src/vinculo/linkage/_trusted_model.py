"""The splink model of trusted-mode linkage: the record table, comparisons and blocking rules.

One definition serves DuckDB and Spark: every comparison level is built from splink's level
library (or plain SQL that sqlglot translates), so ``SettingsCreator`` gives each backend its
dialect. Comparisons and blocking rules whose columns hold no value in the data are left out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from vinculo.linkage.model import Person

__all__ = [
    "BIRTH_GAP_LEVELS",
    "BIRTH_ONE_APART",
    "GIVEN_DIFFER",
    "GIVEN_FUZZY",
    "PLACEHOLDER_MIN_COUNT",
    "blocking_rules",
    "comparisons",
    "em_rules",
    "lambda_rules",
    "record_table",
]

#: Jaro-Winkler similarity of the given-name "close" levels; below the lower one a given-name
#: difference is a clear mismatch (the level whose weight tells siblings apart).
GIVEN_CLOSE = 0.92
#: The last level of the given-name comparison.
GIVEN_DIFFER = "given names differ"
GIVEN_FUZZY = 0.85
FAMILY_CLOSE = 0.92
FAMILY_FUZZY = 0.85
PLACE_CLOSE = 0.9
#: The family-name levels of a swapped name order: the swap is weighed once, in the given name,
#: so these levels get weight 0 (m set equal to u after training).
SWAP_IN_GIVEN = "names swapped (weighed in the given name)"
#: The family-name level of a father's name written as the family name in one record and as the
#: middle name in the other.
FAMILY_AS_MIDDLE = "the family name is the other's middle name"
#: Jaro-Winkler similarity of each name to the other record's other name for a swapped order.
SWAP_CLOSE = 0.9

#: The birth-date levels of two known birth years 2 or more apart (see ``trusted._gap_weights``).
BIRTH_GAP_LEVELS = ("birth years 2-5 apart", "birth years more than 5 apart")
#: The birth-date level of two known birth years one apart.
BIRTH_ONE_APART = "birth years one apart"

#: A phone, identity number or e-mail shared by this many records (or more) is a placeholder
#: ("000000", "unknown@...") rather than a person's: it is ignored for that field.
PLACEHOLDER_MIN_COUNT = 25

_VOWELS = re.compile(r"[aeiouyhw]")
_CODES = {
    c: str(g) for g, letters in enumerate(("bfpv", "cgjkqsxz", "dt", "l", "mn", "r"), 1) for c in letters
}


def _fallback_phonetic(token: str) -> str:
    """A consonant-class skeleton (vowels dropped, Soundex classes, runs collapsed), used only
    until :func:`vinculo.linkage.names.phonetic_key` is available."""
    out: list[str] = []
    for ch in _VOWELS.sub("", token):
        code = _CODES.get(ch, ch)
        if not out or out[-1] != code:
            out.append(code)
    return "".join(out)[:6] or token[:1]


def _phonetic_function() -> Callable[[str], str]:
    try:
        from vinculo.linkage.names import phonetic_key  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return _fallback_phonetic
    return phonetic_key  # type: ignore[no-any-return,unused-ignore]


def _or_none(text: str) -> str | None:
    return text or None


def _digits_tail(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    return digits[-8:] if len(digits) >= 6 else None


_HOUSE_NUMBER = re.compile(r"(?<!\S)(\d{1,5})[a-z]?(?!\S)")


def _house_number(street: str) -> str | None:
    """The first number standing as a word of its own in a street address ("16 walker crescent",
    "Awolowo Road 104", "12b rue ..."), or None: the part of an address that typing errors and a
    left-out second line seldom touch."""
    if not re.search(r"[^\W\d]", street):
        return None
    found = _HOUSE_NUMBER.search(street)
    return found.group(1) if found else None


def _street_words(street: str) -> list[str] | None:
    """The words of a street address of three letters or more, numbers left out: with the house
    number they tell one address written in another order or with a part left out."""
    words = sorted({w for w in street.split() if len(w) >= 3 and not w.isdigit()})
    return words or None


_ARTICLE = re.compile(r"^(?:al|el|ul)(?=[a-z]{3})")


def _name_ends(given: tuple[str, ...], family: tuple[str, ...]) -> str | None:
    """The first given and the first family token, sorted: the same for "Huong | Nguyen" and
    "Nguyen Thi | Huong" (family-first order in the wrong fields, a middle name added), "Ana |
    Jimenez Rodriguez" and "Jimenez | Ana". With one field empty, its first and last tokens
    (a full name written in one field)."""
    if given and family:
        ends = (given[0], family[0])
    elif len(given or family) >= 2:
        tokens = given or family
        ends = (tokens[0], tokens[-1])
    else:
        return None
    return " ".join(sorted(ends)) if ends[0] != ends[1] else None


def _family_core(family: tuple[str, ...]) -> str | None:
    """The first part of a family name without an Arabic article: "al-Fassi" and "Fassi",
    "Jiménez Rodríguez" and "Jiménez" share it."""
    return _ARTICLE.sub("", family[0]) if family else None


#: An Arabic article written as a word of its own at the start of a place name ("An Najaf").
_PLACE_ARTICLES = frozenset({"al", "el", "ul", "an", "ar", "as", "ad", "at", "az", "ash", "adh", "ath"})
#: Words of place names that say what kind of place it is, not which ("Benin City", "Bogota D.C.").
_PLACE_GENERIC = frozenset(
    {"city", "town", "village", "ciudad", "ville", "de", "del", "la", "le", "les", "des", "dc", "do", "da"}
)


def _place_words(place: str) -> list[str]:
    """The words of a normalised place name without an Arabic article, written apart ("an najaf")
    or joined ("alnjf", as Arabic script transliterates): "Al-Mawsil" and "الموصل" give
    ``mawsil`` and ``musl``, "An-Najaf" and "Najaf" both ``najaf``."""
    words = place.split()
    if len(words) > 1 and words[0] in _PLACE_ARTICLES:
        words = words[1:]
    if words:
        words[0] = _ARTICLE.sub("", words[0])
    return words


def _city_words(words: list[str]) -> list[str] | None:
    """The telling words of a place name (three letters or more, no generic word such as "city"
    or "de"): "Santiago de Cali" and "Cali" share ``cali``, "Cartagena de Indias" and
    "Cartagena" ``cartagena``."""
    kept = [w for w in words if len(w) >= 3 and w not in _PLACE_GENERIC]
    return kept or None


def _shared_city_words(cities: list[str | None], words: list[list[str] | None]) -> list[list[str] | None]:
    """Keep only the words that two differently written city names share: only those can put a
    pair in the "word in common" level (two records of one spelling are "same city" first). When
    no two city names share a word the column is empty and the level left out, so EM is never
    asked for the m of a level that no pair can reach."""
    names: dict[str, set[str]] = {}
    for city, ws in zip(cities, words, strict=True):
        for w in ws or ():
            names.setdefault(w, set()).add(city or "")
    shared = {w for w, n in names.items() if len(n) >= 2}
    out: list[list[str] | None] = []
    for ws in words:
        kept = [w for w in ws or () if w in shared]
        out.append(kept or None)
    return out


def record_table(persons: Sequence[Person]) -> dict[str, list[Any]]:
    """Columns (one list per column) of the splink input table; ``unique_id`` is the input index."""
    phonetic = _phonetic_function()
    cols: dict[str, list[Any]] = {
        name: []
        for name in (
            "unique_id",
            "given_name",
            "given_tokens",
            "given_ph",
            "given_initial",
            "middle_name",
            "family_name",
            "family_tokens",
            "family_ph",
            "family_initial",
            "name_key",
            "name_ends",
            "family_core",
            "dob",
            "birth_year",
            "birth_month",
            "birth_day",
            "sex",
            "citizenship",
            "city",
            "city_ph",
            "city_tokens",
            "postcode",
            "street",
            "house_number",
            "street_words",
            "state",
            "identity_number",
            "phone",
            "phone_tail",
            "email",
            "email_local",
        )
    }
    for i, p in enumerate(persons):
        given = tuple(t for t in (p.given_canonical or p.given) if t)
        family = tuple(t for t in (p.family_canonical or p.family) if t)
        cols["unique_id"].append(i)
        cols["given_name"].append(given[0] if given else None)
        cols["given_tokens"].append(list(given) or None)
        cols["given_ph"].append(_or_none(phonetic(given[0])) if given else None)
        cols["given_initial"].append(given[0][:1] if given else None)
        cols["middle_name"].append(given[1] if len(given) > 1 else None)
        cols["family_name"].append(" ".join(family) or None)
        cols["family_tokens"].append(list(family) or None)
        cols["family_ph"].append(_or_none(phonetic("".join(family))) if family else None)
        cols["family_initial"].append(family[0][:1] if family else None)
        cols["name_key"].append(" ".join(sorted(given + family)) if given and family else None)
        cols["name_ends"].append(_name_ends(given, family))
        cols["family_core"].append(_family_core(family))
        full = p.birth_year is not None and p.birth_month is not None and p.birth_day is not None
        cols["dob"].append(f"{p.birth_year:04d}-{p.birth_month:02d}-{p.birth_day:02d}" if full else None)
        cols["birth_year"].append(p.birth_year)
        cols["birth_month"].append(p.birth_month if p.birth_year is not None else None)
        cols["birth_day"].append(p.birth_day if p.birth_month is not None else None)
        cols["sex"].append(_or_none(p.sex))
        cols["citizenship"].append(_or_none(p.citizenship))
        cols["city"].append(_or_none(p.city))
        place = _place_words(p.city)
        cols["city_ph"].append(_or_none(phonetic("".join(place))) if place else None)
        cols["city_tokens"].append(_city_words(place))
        cols["postcode"].append(_or_none(p.postcode))
        cols["street"].append(_or_none(p.street))
        cols["house_number"].append(_house_number(p.street))
        cols["street_words"].append(_street_words(p.street))
        cols["state"].append(_or_none(p.state))
        cols["identity_number"].append(_or_none(p.identity_number))
        cols["phone"].append(_or_none(p.phone))
        cols["phone_tail"].append(_digits_tail(p.phone) if p.phone else None)
        cols["email"].append(_or_none(p.email))
        cols["email_local"].append(_or_none(p.email.split("@", 1)[0]) if "@" in p.email else None)
    cols["city_tokens"] = _shared_city_words(cols["city"], cols["city_tokens"])
    for name in ("identity_number", "phone", "phone_tail", "email", "email_local"):
        counts = Counter(v for v in cols[name] if v is not None)
        common = {v for v, n in counts.items() if n >= PLACEHOLDER_MIN_COUNT}
        if common:
            cols[name] = [None if v in common else v for v in cols[name]]
    return cols


def _swapped_names_level(threshold: float, label: str) -> Any:
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

    class SwappedNamesLevel(ComparisonLevelCreator):
        """Given and family names swapped, allowing small spelling differences (any dialect)."""

        def create_sql(self, sql_dialect: Any) -> str:
            jw = sql_dialect.jaro_winkler_function_name
            return (
                f"{jw}(given_name_l, family_name_r) >= {threshold} "
                f"AND {jw}(family_name_l, given_name_r) >= {threshold}"
            )

        def create_label_for_charts(self) -> str:
            return label

    return SwappedNamesLevel()


def _street_start_level(threshold: float, min_length: int, label: str) -> Any:
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

    class StreetStartLevel(ComparisonLevelCreator):
        """The shorter street is close to the start of the longer (a second line left out)."""

        def create_sql(self, sql_dialect: Any) -> str:
            jw = sql_dialect.jaro_winkler_function_name
            side = (
                "(length(street_{a}) < length(street_{b}) AND length(street_{a}) >= {n} "
                "AND {jw}(street_{a}, substr(street_{b}, 1, length(street_{a}))) >= {t})"
            )
            return " OR ".join(
                side.format(a=a, b=b, n=min_length, jw=jw, t=threshold) for a, b in ("lr", "rl")
            )

        def create_label_for_charts(self) -> str:
            return label

    return StreetStartLevel()


class _Level:
    """A comparison level whose SQL is written per dialect (a faster equivalent where DuckDB has
    one), built lazily as splink's own levels are."""

    @staticmethod
    def make(label: str, sql: Callable[[Any], str]) -> Any:
        from splink.internals.comparison_level_creator import ComparisonLevelCreator

        class DialectLevel(ComparisonLevelCreator):
            def create_sql(self, sql_dialect: Any) -> str:
                return sql(sql_dialect)

            def create_label_for_charts(self) -> str:
                return label

        return DialectLevel()


def _in_common_level(column: str, label: str) -> Any:
    """The two lists share an element: DuckDB's ``list_has_any`` (twice as fast as counting the
    intersection), Spark's ``arrays_overlap`` (the two engines :func:`vinculo.linkage.trusted.link`
    runs on)."""

    def sql(dialect: Any) -> str:
        function = "list_has_any" if dialect.sql_dialect_str == "duckdb" else "arrays_overlap"
        return f"{function}({column}_l, {column}_r)"

    return _Level.make(label, sql)


def _one_apart_level(column: str, label: str) -> Any:
    """Levenshtein distance at most 1. Two strings of one length are one edit apart only by a
    substitution, so in DuckDB those are compared by Hamming distance (seven times faster on
    the birth dates, which all have one length)."""

    def sql(dialect: Any) -> str:
        left, right = f"{column}_l", f"{column}_r"
        lev = f"{dialect.levenshtein_function_name}({left}, {right}) <= 1"
        if dialect.sql_dialect_str == "duckdb":
            same = f"length({left}) = length({right})"
            return f"CASE WHEN {same} THEN hamming({left}, {right}) <= 1 ELSE {lev} END"
        return lev

    return _Level.make(label, sql)


def _one_edit_level(column: str, label: str) -> Any:
    """One character inserted, left out or mistyped, or two neighbouring characters swapped
    (3189 / 3198: one keying error), i.e. a Damerau-Levenshtein (optimal string alignment)
    distance of 1. Written as Levenshtein <= 1 or, for strings of one length, a swap: the
    Damerau distance, four times slower than Levenshtein in DuckDB, is computed only for the
    few pairs of one length that differ in exactly two places."""
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

    class OneEditLevel(ComparisonLevelCreator):
        def create_sql(self, sql_dialect: Any) -> str:
            lev = sql_dialect.levenshtein_function_name
            dam = sql_dialect.damerau_levenshtein_function_name
            left, right = f"{column}_l", f"{column}_r"
            same_length = f"length({left}) = length({right})"
            if sql_dialect.sql_dialect_str == "duckdb":
                same_length += f" AND hamming({left}, {right}) = 2"
            return f"{lev}({left}, {right}) <= 1 OR ({same_length} AND {dam}({left}, {right}) = 1)"

        def create_label_for_charts(self) -> str:
            return label

    return OneEditLevel()


def present_columns(table: dict[str, list[Any]]) -> frozenset[str]:
    """Columns with at least two values (a column with fewer cannot link anything)."""
    return frozenset(name for name, values in table.items() if _two_values(values))


def _two_values(values: list[Any]) -> bool:
    """Whether at least two of ``values`` are not None (stops at the second)."""
    found = 0
    for v in values:
        if v is not None:
            found += 1
            if found == 2:
                return True
    return False


def comparisons(present: frozenset[str]) -> list[Any]:
    """The comparisons for the columns that hold values, most telling level first."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    out: list[Any] = []
    if "given_name" in present:
        out.append(
            cl.CustomComparison(
                output_column_name="given_name",
                comparison_description="given name",
                comparison_levels=[
                    cll.NullLevel("given_name"),
                    cll.ExactMatchLevel("given_name", term_frequency_adjustments=True).configure(
                        label_for_charts="same given name (or a variant of it)"
                    ),
                    cll.CustomLevel("name_key_l = name_key_r", "same names in another order"),
                    _swapped_names_level(SWAP_CLOSE, "given and family names swapped"),
                    cll.CustomLevel(
                        "name_ends_l = name_ends_r", "same first given and family names, in another order"
                    ),
                    cll.CustomLevel(
                        "given_name_l = family_name_r OR family_name_l = given_name_r",
                        "a given name given as the other's family name",
                    ),
                    _in_common_level("given_tokens", "a given or middle name in common"),
                    cll.JaroWinklerLevel("given_name", GIVEN_CLOSE).configure(
                        label_for_charts=f"given names close (Jaro-Winkler >= {GIVEN_CLOSE})"
                    ),
                    cll.ExactMatchLevel("given_ph").configure(label_for_charts="given names sound alike"),
                    cll.JaroWinklerLevel("given_name", GIVEN_FUZZY).configure(
                        label_for_charts=f"given names similar (Jaro-Winkler >= {GIVEN_FUZZY})"
                    ),
                    cll.CustomLevel(
                        "(length(given_name_l) = 1 OR length(given_name_r) = 1) "
                        "AND given_initial_l = given_initial_r",
                        "an initial that fits the given name",
                    ),
                    cll.ElseLevel().configure(label_for_charts=GIVEN_DIFFER),
                ],
            )
        )
    if "family_name" in present:
        out.append(
            cl.CustomComparison(
                output_column_name="family_name",
                comparison_description="family name",
                comparison_levels=[
                    cll.NullLevel("family_name"),
                    cll.ExactMatchLevel("family_name", term_frequency_adjustments=True).configure(
                        label_for_charts="same family name (or a variant of it)"
                    ),
                    cll.CustomLevel("name_key_l = name_key_r", SWAP_IN_GIVEN),
                    _swapped_names_level(SWAP_CLOSE, SWAP_IN_GIVEN),
                    cll.CustomLevel(
                        "name_ends_l = name_ends_r AND given_name_l <> given_name_r", SWAP_IN_GIVEN
                    ),
                    cll.JaroWinklerLevel("family_name", FAMILY_CLOSE).configure(
                        label_for_charts=f"family names close (Jaro-Winkler >= {FAMILY_CLOSE})"
                    ),
                    cll.ExactMatchLevel("family_core").configure(
                        label_for_charts="same family name but for an article or a second part"
                    ),
                    _in_common_level("family_tokens", "part of a compound family name in common"),
                    cll.ExactMatchLevel("family_ph").configure(label_for_charts="family names sound alike"),
                    cll.JaroWinklerLevel("family_name", FAMILY_FUZZY).configure(
                        label_for_charts=f"family names similar (Jaro-Winkler >= {FAMILY_FUZZY})"
                    ),
                    *(
                        [
                            cll.CustomLevel(
                                "family_name_l = middle_name_r OR middle_name_l = family_name_r",
                                FAMILY_AS_MIDDLE,
                            )
                        ]
                        if "middle_name" in present
                        else []
                    ),
                    cll.ElseLevel().configure(label_for_charts="family names differ"),
                ],
            )
        )
    if "birth_year" in present:
        levels: list[Any] = [cll.NullLevel("birth_year").configure(label_for_charts="birth year missing")]
        if "dob" in present:
            levels += [
                cll.ExactMatchLevel("dob", term_frequency_adjustments=True).configure(
                    label_for_charts="same birth date"
                ),
                cll.CustomLevel(
                    "birth_year_l = birth_year_r AND birth_month_l = birth_day_r "
                    "AND birth_day_l = birth_month_r",
                    "birth day and month swapped",
                ),
                _one_apart_level("dob", "birth dates one character apart"),
            ]
        levels += [
            cll.CustomLevel(
                "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL)",
                "same birth year, the other date only a year",
            ),
            cll.CustomLevel(
                "birth_year_l = birth_year_r AND birth_month_l = birth_month_r",
                "same birth year and month",
            ),
            cll.CustomLevel("birth_year_l = birth_year_r", "same birth year"),
            cll.CustomLevel(
                "abs(birth_year_l - birth_year_r) <= 1", BIRTH_ONE_APART, base_dialect_str="duckdb"
            ),
            cll.CustomLevel(
                "abs(birth_year_l - birth_year_r) <= 5", BIRTH_GAP_LEVELS[0], base_dialect_str="duckdb"
            ),
            cll.ElseLevel().configure(label_for_charts=BIRTH_GAP_LEVELS[1]),
        ]
        out.append(
            cl.CustomComparison(
                output_column_name="birth_date", comparison_description="birth date", comparison_levels=levels
            )
        )
    for column, label in (("sex", "sex"), ("citizenship", "citizenship"), ("state", "state")):
        if column in present:
            out.append(_exact(column, label))
    for column, label in (("city", "city"), ("street", "street")):
        if column in present:
            out.append(
                cl.CustomComparison(
                    output_column_name=column,
                    comparison_description=label,
                    comparison_levels=[
                        cll.NullLevel(column),
                        cll.ExactMatchLevel(column, term_frequency_adjustments=True).configure(
                            label_for_charts=f"same {label}"
                        ),
                        cll.JaroWinklerLevel(column, PLACE_CLOSE).configure(
                            label_for_charts=f"{label} close (Jaro-Winkler >= {PLACE_CLOSE})"
                        ),
                        *(_street_levels(present) if column == "street" else []),
                        *(
                            [cll.ExactMatchLevel("city_ph").configure(label_for_charts="city sounds alike")]
                            if column == "city" and "city_ph" in present
                            else []
                        ),
                        *(
                            [_in_common_level("city_tokens", "a word of the city name in common")]
                            if column == "city" and "city_tokens" in present
                            else []
                        ),
                        cll.ElseLevel().configure(label_for_charts=f"{label} differs"),
                    ],
                )
            )
    if "postcode" in present:
        out.append(_exact_or_typo("postcode", "postcode", tf=True))
    if "identity_number" in present:
        out.append(_exact_or_typo("identity_number", "identity number", tf=False))
    if "phone" in present:
        out.append(_exact_or_part("phone", "phone_tail", "phone number", "same last 8 digits"))
    if "email" in present:
        out.append(_exact_or_part("email", "email_local", "e-mail", "same name before the @"))
    return out


#: The street level of a shorter address close to the start of a longer one: the length the
#: shorter must have (a house number and a street name).
STREET_START_MIN = 10
STREET_START = "one street the start of the other (a part left out)"
STREET_REORDERED = "same house number and two street words in common"
STREET_NO_NUMBER = "same street words, a house number in only one"


def _street_levels(present: frozenset[str]) -> list[Any]:
    """The street levels between "close" and "differs": one address with its second line left
    out (close to the start of the other), and one written in another order or with words run
    together (the same house number and two words in common)."""
    import splink.comparison_level_library as cll

    out: list[Any] = [_street_start_level(PLACE_CLOSE, STREET_START_MIN, STREET_START)]
    if {"house_number", "street_words"} <= present:
        out.append(
            cll.And(
                cll.ExactMatchLevel("house_number"), cll.ArrayIntersectLevel("street_words", 2)
            ).configure(label_for_charts=STREET_REORDERED)
        )
        out.append(
            cll.CustomLevel(
                "street_words_l = street_words_r AND (house_number_l IS NULL) <> (house_number_r IS NULL)",
                STREET_NO_NUMBER,
            )
        )
    return out


def _exact(column: str, label: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts=f"same {label}"),
            cll.ElseLevel().configure(label_for_charts=f"{label} differs"),
        ],
    )


def _exact_or_typo(column: str, label: str, *, tf: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=tf).configure(
                label_for_charts=f"same {label}"
            ),
            _one_edit_level(column, f"{label} one character apart (or two swapped)"),
            cll.ElseLevel().configure(label_for_charts=f"{label} differs"),
        ],
    )


def _exact_or_part(column: str, part: str, label: str, part_label: str) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=label,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(label_for_charts=f"same {label}"),
            cll.ExactMatchLevel(part).configure(label_for_charts=part_label),
            cll.ElseLevel().configure(label_for_charts=f"{label} differs"),
        ],
    )


#: Blocking rules for prediction: the columns they need and either an equi-join on them (``None``)
#: or SQL. A rule is used when all its columns hold values. Several narrow rules keep recall high
#: on messy data (any one of them finding a pair suffices) while each stays an equi-join that is
#: fast at a million records.
PREDICTION_RULES: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("family_name", "birth_year"), None),
    (("given_name", "family_name"), None),
    (("given_ph", "family_ph", "birth_year"), None),
    (("given_ph", "family_ph", "city"), None),
    (("name_key",), None),
    (("name_ends",), None),
    (("given_name", "family_core"), None),
    (("given_name", "family_ph"), None),
    (("family_core", "birth_year"), None),
    (("given_name", "dob"), None),
    (("family_initial", "dob"), None),
    (("dob", "postcode"), None),
    (("dob", "city"), None),
    (("given_ph", "birth_year", "given_initial", "family_initial"), None),
    (("postcode", "given_initial", "family_initial"), None),
    (("street", "postcode"), None),
    # The house number with the postcode or the city: a street misspelt or its second line left
    # out, and the names too corrupted to block on.
    (("house_number", "postcode"), None),
    (("house_number", "city"), None),
    (("house_number", "given_initial", "family_initial"), None),
    (("house_number", "family_name"), None),
    (("postcode", "birth_year"), None),
    (("city", "birth_year", "given_initial"), None),
    (("street", "family_initial"), None),
    (("street", "given_initial"), None),
    (("family_name", "postcode"), None),
    (("given_name", "postcode"), None),
    (("family_name", "city"), None),
    (("given_name", "city"), None),
    (("given_name", "family_name", "dob"), "l.given_name = r.family_name AND l.dob = r.dob"),
    # A father's name written as the family name in one record and as the middle name in the
    # other (Arabic naming: "Wafaa | Majed" and "Wafaa Majed | Alkhatib").
    (
        ("family_name", "middle_name", "given_initial"),
        "l.family_name = r.middle_name AND l.given_initial = r.given_initial",
    ),
    (
        ("family_name", "middle_name", "given_initial"),
        "l.middle_name = r.family_name AND l.given_initial = r.given_initial",
    ),
    (("given_name", "family_name", "dob"), "l.family_name = r.given_name AND l.dob = r.dob"),
    # Names in the other order with spelling differences and no birth date to join them on
    # ("Alahmad | Ziad" and "Ziad | Alahmed"): each name sounds like the other's other name.
    (("given_ph", "family_ph"), "l.given_ph = r.family_ph AND l.family_ph = r.given_ph"),
    (("identity_number",), None),
    (("phone",), None),
    # The same number in national and international form (+380 68 ... and 068 ...).
    (("phone_tail",), None),
    (("email",), None),
)
#: EM training sessions: each blocks on some fields and estimates the m of all the others.
EM_RULES: tuple[tuple[str, ...], ...] = (
    ("dob",),
    ("given_name", "family_name"),
    ("identity_number",),
)

#: EM sessions for names when no session above leaves them free (no birth dates, no identity number).
EM_FALLBACK_RULES: tuple[tuple[str, ...], ...] = (
    ("city", "sex"),
    ("city",),
    ("given_initial", "family_initial", "sex"),
    ("given_initial", "family_initial"),
)

#: Deterministic rules (near-certain matches) from which lambda is estimated.
LAMBDA_RULES: tuple[tuple[str, ...], ...] = (
    ("given_name", "family_name", "dob"),
    ("identity_number", "birth_year"),
    ("email", "family_name"),
    ("phone", "family_name"),
)


def _usable(rules: Sequence[tuple[str, ...]], present: frozenset[str]) -> list[tuple[str, ...]]:
    return [r for r in rules if all(c in present for c in r)]


def blocking_rules(present: frozenset[str]) -> list[tuple[tuple[str, ...], str | None]]:
    return [(cols, sql) for cols, sql in PREDICTION_RULES if all(c in present for c in cols)]


def em_rules(present: frozenset[str]) -> list[tuple[str, ...]]:
    """EM sessions for the fields present. Without birth dates no session leaves the names free to
    be estimated, so one blocks on something else (the city, or else the initials)."""
    rules = _usable(EM_RULES, present)
    if not any("given_name" not in r and "family_name" not in r for r in rules):
        rules += _usable(EM_FALLBACK_RULES, present)[:1]
    return rules


def lambda_rules(present: frozenset[str]) -> list[tuple[str, ...]]:
    return _usable(LAMBDA_RULES, present)
