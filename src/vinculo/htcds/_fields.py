"""HTCDS 2.0 field specifications, loaded from the standard's own files.

The field list comes from ``data/HTCDS_Field_Standards_2.0__derived.csv`` (the ODS field list
converted to CSV, cells unchanged); extra value labels and field spellings come from the
standard's XLSForm ``data/htcds_xlsform.xlsx``. Nothing here is typed in by hand except the
few decisions the standard leaves open, each named in a constant below: which fields are
protected identifiers, which text fields hold countries, numeric ranges, and the one template
header typo.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

__all__ = [
    "Entity",
    "FieldCatalogue",
    "FieldSpec",
    "FieldType",
    "field_catalogue",
]

FIELD_LIST_FILE = "HTCDS_Field_Standards_2.0__derived.csv"
XLSFORM_FILE = "htcds_xlsform.xlsx"
STANDARD_VERSION = "2.0"


class Entity(StrEnum):
    """The HTCDS tables (the three-letter field-name prefix names the table)."""

    ORGANISATION = "organisation"
    PERSON = "person"
    VICTIM = "victim"
    PERPETRATOR = "perpetrator"
    CASE = "case"
    CASE_COMMENT = "case_comment"
    TRAFFICKING_EVENT = "trafficking_event"
    SUPPORT_PLAN = "support_plan"
    CONSENT = "consent"


PREFIX_ENTITY: dict[str, Entity] = {
    "org_": Entity.ORGANISATION,
    "prs_": Entity.PERSON,
    "vic_": Entity.VICTIM,
    "per_": Entity.PERPETRATOR,
    "cas_": Entity.CASE,
    "cco_": Entity.CASE_COMMENT,
    "hte_": Entity.TRAFFICKING_EVENT,
    "spl_": Entity.SUPPORT_PLAN,
    "con_": Entity.CONSENT,
}


class FieldType(StrEnum):
    """Value types. ``source_type`` on :class:`FieldSpec` keeps the standard's own wording."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    PICKLIST = "picklist"
    MULTI_PICKLIST = "multi_picklist"
    COUNTRY = "country"
    MULTI_COUNTRY = "multi_country"
    LANGUAGE = "language"
    BOOLEAN = "boolean"
    NUMBER = "number"


# Protected identifiers: names, dates of birth, identity numbers, contact details, exact
# addresses and coordinates, names of case workers. Every LONG_TEXT (free-text note) field is
# protected as well. The web layer encrypts these and no problem report echoes their values.
PROTECTED_FIELDS = frozenset(
    {
        "prs_FirstName",
        "prs_MiddleName",
        "prs_SecondName",
        "prs_Birthdate",
        "prs_IdentityNumber",
        "prs_Email",
        "prs_HomePhone",
        "prs_MobilePhone",
        "prs_MailingStreet",
        "prs_MailingPostalCode",
        "prs_MailingLongitude",
        "prs_MailingLatitude",
        "vic_LocationOfRecruitment",
        "vic_LocationOfExploitation",
        "cas_CaseOwner",
        "cas_ReferringPrimaryCaseWorker",
        "cas_ReferredPrimaryCaseWorker",
        "hte_Street",
        "hte_PostalCode",
        "hte_Longitude",
        "hte_Latitude",
    }
)

# Places (the standard makes them lookups to an organisation; files hold a place name or a country).
# A value that is a country code or name is stored as its ISO 3166-1 alpha-2 code, and a value that
# looks like a code but is none ("XX") is refused.
LOCATION_FIELDS = frozenset({"vic_LocationOfRecruitment", "vic_LocationOfExploitation"})

# Text fields whose notes (or meaning) make them ISO 3166 countries.
COUNTRY_TEXT_FIELDS = frozenset({"prs_MailingCountry", "org_ShippingCountry", "hte_Country"})

# Dates that may lie in the future (a plan's end date); every other date may not.
FUTURE_DATE_FIELDS = frozenset({"spl_PlannedEndDate"})

# (minimum, maximum, integer) for numbers; geolocations are numbers in degrees.
NUMBER_RANGES: dict[str, tuple[float, float, bool]] = {
    "prs_NumberOfChildren": (0, 50, True),
    "vic_AgeWhenTrafficked": (0, 120, True),
    "prs_MailingLatitude": (-90, 90, False),
    "prs_MailingLongitude": (-180, 180, False),
    "org_ShippingLatitude": (-90, 90, False),
    "org_ShippingLongitude": (-180, 180, False),
    "hte_Latitude": (-90, 90, False),
    "hte_Longitude": (-180, 180, False),
}

# Field-name spellings used by the standard's own templates that differ from the field list.
# The XLSForm spellings are also derived from the XLSForm at load time; this one is a typo in
# the header row of both HTCDS Excel templates and cannot be derived.
TEMPLATE_ALIASES: dict[str, tuple[str, str]] = {
    "vic_TraffickinStatusDecisionMakingOrg": (
        "vic_TraffickingStatusDecisionMakingOrg",
        "HTCDS Excel Spreadsheet v2.0 templates (header typo)",
    ),
}

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_REGEX_NOTE = re.compile(r"Regular Expression:\s*(\S+)")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One HTCDS field.

    Attributes
    ----------
    name : str
        Canonical name including prefix, e.g. ``"vic_TypeOfExploitation"``.
    entity : Entity
        The table the field belongs to.
    label : str
        Human-readable label from the field list.
    type : FieldType
        The value type vinculo checks.
    source_type : str
        The type as the standard writes it (``"Multiselect Picklist"``, ``"Lookup [to person]"``).
    values, value_labels : tuple of str
        Allowed codes and their labels (empty unless a picklist).
    core : bool
        The standard marks the field "Core".
    status : str
        ``"DRAFT"`` or ``"DEPRECATED"`` as in the field list.
    protected : bool
        A protected identifier: encrypted at rest, never echoed in problem reports.
    aliases : tuple of (str, str)
        Other spellings used by the standard's templates, with where each comes from.
    """

    name: str
    entity: Entity
    label: str
    type: FieldType
    source_type: str
    section: str
    values: tuple[str, ...] = ()
    value_labels: tuple[str, ...] = ()
    core: bool = False
    status: str = "DRAFT"
    description: str = ""
    notes: str = ""
    protected: bool = False
    aliases: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    allow_future: bool = False
    pattern: str | None = None
    extra_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def deprecated(self) -> bool:
        return self.status.upper() == "DEPRECATED"

    @property
    def multiple(self) -> bool:
        return self.type in (FieldType.MULTI_PICKLIST, FieldType.MULTI_COUNTRY)


@dataclass(frozen=True)
class FieldCatalogue:
    """All HTCDS 2.0 fields, by canonical name, in the order of the standard's field list."""

    fields: Mapping[str, FieldSpec]
    version: str = STANDARD_VERSION
    xlsform_order: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> FieldSpec:
        return self.fields[name]

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def __iter__(self) -> Iterator[FieldSpec]:
        return iter(self.fields.values())

    def __len__(self) -> int:
        return len(self.fields)

    def by_entity(self, entity: Entity | str) -> tuple[FieldSpec, ...]:
        ent = Entity(entity)
        return tuple(f for f in self.fields.values() if f.entity is ent)

    @property
    def protected(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields.values() if f.protected)


def _split_lines(cell: str) -> list[str]:
    return [v.strip() for v in cell.splitlines() if v.strip()]


def _classify(name: str, source_type: str, names_cell: str, notes: str) -> FieldType:
    st = source_type.strip().lower()
    iso3166 = "iso 3166" in (names_cell + " " + notes).lower()
    if name in COUNTRY_TEXT_FIELDS:
        return FieldType.COUNTRY
    if st == "multiselect picklist":
        return FieldType.MULTI_COUNTRY if iso3166 else FieldType.MULTI_PICKLIST
    if st == "picklist":
        if "iso 639" in names_cell.lower():
            return FieldType.LANGUAGE
        return FieldType.COUNTRY if iso3166 else FieldType.PICKLIST
    if st == "picklist or text":
        return FieldType.COUNTRY if iso3166 else FieldType.TEXT
    if st == "date":
        return FieldType.DATE
    if st == "checkbox":
        return FieldType.BOOLEAN
    if st in ("number", "geolocation"):
        return FieldType.NUMBER
    if st == "long text":
        return FieldType.LONG_TEXT
    return FieldType.TEXT


def _read_data(name: str) -> bytes:
    return (resources.files("vinculo.htcds") / "data" / name).read_bytes()


def _load_field_rows() -> list[dict[str, str]]:
    text = _read_data(FIELD_LIST_FILE).decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows: list[dict[str, str]] = []
    section = ""
    for raw in reader:
        cells = [*raw, *([""] * (len(header) - len(raw)))]
        row = dict(zip(header, cells, strict=False))
        if row["Section"].strip():
            section = " ".join(row["Section"].split())
            continue
        prefix = row["Field Name Prefix"].strip()
        short = row["Field Name"].strip()
        if prefix not in PREFIX_ENTITY or not short or short == "N/A":
            continue
        row["_section"] = section
        rows.append(row)
    return rows


@dataclass(frozen=True)
class _XLSForm:
    names: tuple[str, ...]
    labels: dict[str, str]
    choices: dict[str, dict[str, str]]  # survey field name -> {value: label}


@cache
def _load_xlsform() -> _XLSForm:
    """The XLSForm's field names, labels and choices, read once per process (the field catalogue
    and the label table both need them; parsing the workbook is the slow part of either)."""
    import openpyxl  # local: keeps `import vinculo.htcds` light

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(_read_data(XLSFORM_FILE)), read_only=True, data_only=True)
    try:
        survey = list(wb["survey"].iter_rows(values_only=True))
        choices = list(wb["choices"].iter_rows(values_only=True))
    finally:
        wb.close()
    head = [str(c) for c in survey[0]]
    i_type, i_name, i_label = head.index("type"), head.index("name"), head.index("label")
    lists: dict[str, list[tuple[str, str]]] = {}
    for list_name, value, label in (r[:3] for r in choices[1:]):
        if list_name and value is not None:
            lists.setdefault(str(list_name), []).append((str(value).strip(), str(label or "").strip()))
    names: list[str] = []
    labels: dict[str, str] = {}
    field_choices: dict[str, dict[str, str]] = {}
    for row in survey[1:]:
        typ, name, label = row[i_type], row[i_name], row[i_label]
        if not name or not isinstance(name, str) or name[:4] not in PREFIX_ENTITY:
            continue
        names.append(name)
        labels[name] = " ".join(str(label or "").split())
        parts = str(typ).split()
        if len(parts) == 2 and parts[0] in ("select_one", "select_multiple"):
            field_choices[name] = dict(lists.get(parts[1], []))
    return _XLSForm(tuple(names), labels, field_choices)


_NON_ALNUM = re.compile(r"[^0-9a-z]")


def _norm_name(name: str) -> str:
    """Case-, space- and punctuation-insensitive key: "Forced labour" -> "forcedlabour"."""
    return _NON_ALNUM.sub("", name.casefold())


@cache
def field_catalogue() -> FieldCatalogue:
    """Return the HTCDS 2.0 field catalogue (loaded once, then cached).

    Returns
    -------
    FieldCatalogue
        Every field of the standard's field list, with types, code lists, labels, whether it
        is protected, and the other spellings used by the standard's XLSForm and Excel
        templates.

    Examples
    --------
    >>> from vinculo.htcds import field_catalogue
    >>> spec = field_catalogue()["vic_TypeOfExploitation"]
    >>> spec.type.value, spec.values[:2]
    ('multi_picklist', ('ForcedLabour', 'SexualExploitation'))
    """
    rows = _load_field_rows()
    form = _load_xlsform()
    by_norm = {}
    for row in rows:
        full = row["Field Name including Prefix"].strip() or row["Field Name Prefix"] + row["Field Name"]
        by_norm[_norm_name(full)] = full
    aliases: dict[str, list[tuple[str, str]]] = {}
    form_canonical: dict[str, str] = {}
    for form_name in form.names:
        canonical = by_norm.get(_norm_name(form_name))
        if canonical is None:
            continue
        form_canonical[form_name] = canonical
        if canonical != form_name:
            aliases.setdefault(canonical, []).append((form_name, "HTCDS XLSForm (Toolkit/Survey)"))
    for alias, (canonical, source) in TEMPLATE_ALIASES.items():
        aliases.setdefault(canonical, []).append((alias, source))

    fields: dict[str, FieldSpec] = {}
    for row in rows:
        name = row["Field Name including Prefix"].strip() or row["Field Name Prefix"] + row["Field Name"]
        prefix = name[:4]
        names_cell = row["Value Names (if picklist)"]
        labels_cell = row["Value Labels (if picklist)"]
        notes = row["Notes"]
        ftype = _classify(name, row["Field Type"], names_cell, notes)
        values: tuple[str, ...] = ()
        value_labels: tuple[str, ...] = ()
        if ftype in (FieldType.PICKLIST, FieldType.MULTI_PICKLIST):
            values = tuple(_split_lines(names_cell))
            value_labels = tuple(_split_lines(labels_cell))
        extra: dict[str, str] = {}
        for form_name, canonical in form_canonical.items():
            if canonical == name:
                extra.update(form.choices.get(form_name, {}))
        pattern = None
        match = _REGEX_NOTE.search(notes)
        if match:
            pattern = match.group(1)
        elif name.endswith("Email"):
            pattern = EMAIL_PATTERN
        lo, hi, integer = NUMBER_RANGES.get(name, (None, None, False))
        fields[name] = FieldSpec(
            name=name,
            entity=PREFIX_ENTITY[prefix],
            label=" ".join(row["Field Label"].split()) or row["Field Name"].strip(),
            type=ftype,
            source_type=row["Field Type"].strip() or "Lookup",
            section=row["_section"],
            values=values,
            value_labels=value_labels,
            core=row["Core"].strip().lower() == "core",
            status=row["Status"].strip() or "DRAFT",
            description=row["Description"].strip(),
            notes=notes.strip(),
            protected=name in PROTECTED_FIELDS or ftype is FieldType.LONG_TEXT,
            aliases=tuple(aliases.get(name, ())),
            minimum=lo,
            maximum=hi,
            integer=integer,
            allow_future=name in FUTURE_DATE_FIELDS,
            pattern=pattern,
            extra_labels=extra,
        )
    order = tuple(form_canonical[n] for n in form.names if n in form_canonical)
    return FieldCatalogue(fields=fields, xlsform_order=order)


@cache
def xlsform_labels() -> dict[str, str]:
    """Labels the XLSForm gives each field, keyed by canonical name (may differ from the list)."""
    form = _load_xlsform()
    cat = field_catalogue()
    out: dict[str, str] = {}
    by_norm = {_norm_name(f.name): f.name for f in cat}
    for name in form.names:
        canonical = by_norm.get(_norm_name(name))
        if canonical:
            out[canonical] = form.labels.get(name, "")
    return out
