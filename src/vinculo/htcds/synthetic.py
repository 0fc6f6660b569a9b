"""Synthetic HTCDS records: clearly labelled, reproducible, with plausible distributions.

Every record carries ``is_synthetic=True``, a ``record_id`` and a first name of the form
``SYNTHETIC-000123``, an ``example.invalid`` e-mail address and a phone number in the
unassigned +999 country code, so synthetic data can never pass for a real person.

Where the numbers come from (Counter-Trafficking Data Collaborative, CTDC, derived codebook
facts in ``shared/data/ctdc``; "Source: Counter-Trafficking Data Collaborative (CTDC). 2024.
'Global Synthetic Dataset'", and the condensed Victim-Perpetrator synthetic dataset's
one-way marginals):

- sex, adult/minor share, forced labour and sexual exploitation shares, registration year
  bands, UN region of citizenship and of exploitation, relationship to the recruiter and
  missingness: the VP condensed marginals (21,195 rows);
- age bands, ISO 3166 country coding and the means-of-control and industry categories: the
  CTDC Global Synthetic codebook (v2024) variable list.

The CTDC files give no counts for single countries, ages within a band, means of control or
industries, so those weights are vinculo's own plausible assumptions (listed below), not
estimates. Nothing here is fitted to, or reproduces, a CTDC record.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

__all__ = ["generate"]

# --- from the CTDC VP condensed marginals (counts; <empty> is missing) ---------------------
GENDER = {"Feminine": 9589, "Masculine": 7995, None: 3611}
MINOR = {False: 16379, True: 1212}
IS_FORCED_LABOUR = 12248 / 21195
IS_SEXUAL_EXPLOIT = 2775 / 21195
YEAR_BANDS = {
    (2005, 2013): 2531,
    (2014, 2018): 6274,
    (2019, 2019): 2398,
    (2020, 2020): 2002,
    (2021, 2022): 4335,
}
YEAR_MISSING = 3655 / 21195
ORIGIN_REGION = {"Asia": 6139, "Europe": 5887, "Africa": 5282, "Americas/Oceania": 277, None: 3610}
EXPLOIT_REGION = {"Europe": 6432, "Asia": 6281, "Africa": 4271, "Americas/Oceania": 212, None: 3999}
# IP_Relation, with ';'-joined combinations split over their parts
RELATION = {
    "Familial": 967 + 73 + 6,
    "Acquainted": 4617 + 588 + 6,
    "Unaquainted": 8321 + 588 + 73,
    None: 6623,
}

# --- vinculo's assumptions (no CTDC counts exist at this level) ----------------------------
ORIGIN_COUNTRIES = {
    "Asia": {"PH": 25, "ID": 10, "KH": 8, "MM": 8, "VN": 7, "TH": 6, "NP": 6, "BD": 6, "CN": 5, "KG": 5, "UZ": 5, "LK": 4, "IN": 5},
    "Europe": {"UA": 30, "MD": 20, "BY": 10, "RO": 12, "BG": 8, "RU": 8, "AL": 5, "RS": 4, "PL": 3},
    "Africa": {"UG": 20, "NG": 15, "KE": 10, "ET": 10, "GH": 8, "ER": 5, "SD": 4, "MW": 5, "ZA": 5, "SN": 4, "ML": 5, "CM": 5, "SL": 4},
    "Americas/Oceania": {"US": 25, "MX": 20, "HN": 10, "GT": 10, "SV": 8, "CO": 10, "HT": 7, "BO": 5, "AU": 5},
}  # fmt: skip
EXPLOIT_COUNTRIES = {
    "Asia": {"TH": 10, "MY": 10, "AE": 10, "SA": 10, "KW": 5, "QA": 5, "JO": 5, "LB": 5, "ID": 8, "PH": 8, "CN": 7, "JP": 4, "KZ": 5, "TR": 5, "IN": 3},
    "Europe": {"RU": 30, "UA": 15, "PL": 8, "DE": 7, "GB": 8, "NL": 5, "IT": 7, "MD": 5, "RO": 5, "FR": 5, "BA": 5},
    "Africa": {"UG": 20, "KE": 10, "NG": 10, "GH": 10, "ET": 5, "ZA": 10, "LY": 10, "EG": 5, "SN": 10, "ML": 10},
    "Americas/Oceania": {"US": 50, "MX": 20, "CA": 5, "AR": 5, "BR": 10, "AU": 10},
}  # fmt: skip
DOMESTIC_SHARE = 0.30
ADULT_AGE_BANDS = {
    (18, 20): 12,
    (21, 23): 15,
    (24, 26): 15,
    (27, 29): 13,
    (30, 38): 25,
    (39, 47): 13,
    (48, 65): 7,
}
MINOR_AGE_BANDS = {(3, 8): 15, (9, 17): 85}
MEANS_OF_CONTROL = {
    "PsychologicalAbuse": 0.35, "PhysicalAbuse": 0.30, "PhysicalThreats": 0.30, "FalsePromises": 0.30,
    "TakesEarnings": 0.30, "WithholdsDocuments": 0.25, "ExcessiveWorkingHours": 0.20, "DebtBondage": 0.20,
    "ThreatensChildrenFamily": 0.10, "ThreatsLawEnforcement": 0.10, "RestrictsFinancialAccess": 0.10,
    "WithholdsNecessities": 0.10, "SexualAbuse": 0.10, "RestrictsMedicalCare": 0.05,
    "PsychoactiveSubstance": 0.05, "Other": 0.03,
}  # fmt: skip
INDUSTRY = {
    "F_Construction": 25, "T_ActivitiesOfHouseholdsAsEmployers": 25, "A_AgricultureForestryAndFishing": 20,
    "I_AccommodationAndFoodServiceActivities": 10, "C_Manufacturing": 10, "B_MiningAndQuarrying": 4,
    "G_WholesaleAndRetailTradeRepairOfMotorVehicles": 3, "S_OtherServiceActivities": 3,
}  # fmt: skip
SEX_TYPES = {
    "Prostitution": 80,
    "Pornography": 10,
    "PrivateSexualServices": 7,
    "RemoteInteractiveServices": 3,
}
OTHER_TYPES = {"ForcedMarriage": 25, "ForcedBegging": 20, "Servitude": 20, "ChildLabour": 10, "Other": 20,
               "OrganRemoval": 2, "ForcedMilitaryByNonStateActors": 3}  # fmt: skip
RECRUITMENT = {
    "Familial": {"ThroughFamilyOrFamilyEvents": 70, "ThroughFriendsOrSocialEvents": 10, "Other": 20},
    "Acquainted": {"ThroughFriendsOrSocialEvents": 60, "ThroughOnlineSocialNetworks": 20, "AtWork": 20},
    None: {"AtWork": 20, "ThroughOnlineSocialNetworks": 20, "ThroughAnOnlineAdvertisement": 15,
           "AtAPlaceOfBusiness": 15, "ThroughANewspaperAdvert": 10, "ThroughFriendsOrSocialEvents": 10,
           "AtAnEducationalInstitution": 5, "Other": 5},
}  # fmt: skip
STATUS = {"ActualVictimOfTrafficking": 60, "PossibleVictimOfTrafficking": 38, "NotAVictimOfTrafficking": 2}
DECISION_ORG = {
    "NGO": 40,
    "Police": 30,
    "NonPoliceGovernmentalOrganization": 20,
    "CourtOrProsecution": 7,
    "Other": 3,
}
CONSENT_SHARE = 0.93


class _Choice:
    """Weighted choice with a precomputed cumulative table (fast: one random() and a bisect)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.items = list(weights)
        self.cum = list(itertools.accumulate(weights.values()))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _several(rng: random.Random, probs: dict[str, float]) -> tuple[str, ...]:
    return tuple(k for k, p in probs.items() if rng.random() < p)


def generate(
    n: int, seed: int = 0, *, start: int = 1, today: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` synthetic HTCDS records (plain dicts of canonical field -> typed value).

    Parameters
    ----------
    n : int
        Number of records.
    seed : int
        Seed: the same ``(n, seed, start)`` always gives the same records.
    start : int
        Number of the first record (``SYNTHETIC-<start>``).
    today : datetime.date, optional
        Latest date used (defaults to 2023-12-31 so outputs do not depend on the clock).

    Yields
    ------
    dict
        ``record_id``, ``is_synthetic`` and HTCDS fields of person, consent, victim context,
        case (with incoming referral) and one trafficking event (country of exploitation).

    Examples
    --------
    >>> from vinculo.htcds.synthetic import generate
    >>> rec = next(generate(1, seed=1))
    >>> rec["is_synthetic"], rec["prs_FirstName"]
    (True, 'SYNTHETIC-000001')
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not security
    last_day = today or dt.date(2023, 12, 31)
    gender = _Choice(GENDER)
    minor = _Choice(MINOR)
    years = _Choice(YEAR_BANDS)
    origin_region = _Choice(ORIGIN_REGION)
    exploit_region = _Choice(EXPLOIT_REGION)
    origin = {r: _Choice(w) for r, w in ORIGIN_COUNTRIES.items()}
    exploit = {r: _Choice(w) for r, w in EXPLOIT_COUNTRIES.items()}
    adult_age, minor_age = _Choice(ADULT_AGE_BANDS), _Choice(MINOR_AGE_BANDS)
    industry, sex_types, other_types = _Choice(INDUSTRY), _Choice(SEX_TYPES), _Choice(OTHER_TYPES)
    relation = _Choice(RELATION)
    recruitment = {k: _Choice(v) for k, v in RECRUITMENT.items()}
    status, decision = _Choice(STATUS), _Choice(DECISION_ORG)
    width = max(6, len(str(start + n)))
    for i in range(start, start + n):
        num = str(i).zfill(width)
        rec: dict[str, Any] = {
            "record_id": f"SYNTHETIC-{num}",
            "is_synthetic": True,
            "prs_FirstName": f"SYNTHETIC-{num}",
            "prs_SecondName": "SYNTHETIC",
        }
        forced_labour = rng.random() < IS_FORCED_LABOUR
        sexual = rng.random() < IS_SEXUAL_EXPLOIT
        g = gender(rng)
        if g is not None and sexual and rng.random() < 0.8:
            g = "Feminine"
        if g is not None:
            rec["prs_Gender"] = g
        if rng.random() >= YEAR_MISSING:
            lo, hi = years(rng)
            year = rng.randint(lo, hi)
            referral = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            referral = min(referral, last_day)
        else:
            referral = None
        is_minor = minor(rng)
        a_lo, a_hi = (minor_age if is_minor else adult_age)(rng)
        age = rng.randint(a_lo, a_hi)
        anchor = referral or last_day
        if rng.random() < 0.8:
            rec["prs_Birthdate"] = anchor - dt.timedelta(days=age * 365 + rng.randrange(365))
        if rng.random() < 0.6:
            rec["vic_AgeWhenTrafficked"] = max(0, age - rng.choice((0, 0, 1, 1, 2, 3)))
        o_region = origin_region(rng)
        citizenship = origin[o_region](rng) if o_region else None
        if citizenship:
            rec["prs_Citizenship"] = (citizenship,)
        if citizenship and rng.random() < DOMESTIC_SHARE:
            country = citizenship
        else:
            e_region = exploit_region(rng)
            country = exploit[e_region](rng) if e_region else None
        if country:
            rec["hte_Country"] = country
            rec["hte_Type"] = "Exploitation"
        rec["con_Consent"] = rng.random() < CONSENT_SHARE
        rec["vic_TraffickingStatus"] = status(rng)
        if rng.random() < 0.8:
            rec["vic_TraffickingStatusDecisionMakingOrg"] = decision(rng)
        types: list[str] = []
        if forced_labour:
            types.append("ForcedLabour")
            if rng.random() < 0.7:
                rec["vic_ForcedLabourIndustry"] = industry(rng)
        if sexual:
            types.append("SexualExploitation")
            rec["vic_TypeOfSexExploitation"] = (sex_types(rng),)
        if not types and rng.random() < 0.6:
            types.append(other_types(rng))
        if types:
            rec["vic_TypeOfExploitation"] = tuple(types)
        means = _several(rng, MEANS_OF_CONTROL)
        if means:
            rec["vic_MethodsOfControl"] = means
        rel = relation(rng)
        if rel is not None:
            rec["vic_RelationshipToTrafficker"] = rel
        if rng.random() < 0.7:
            rec["vic_MethodOfRecruitment"] = (recruitment[rel if rel != "Unaquainted" else None](rng),)
        if referral is not None:
            rec["cas_IncomingReferralDate"] = referral
            rec["cas_ReasonForIncomingReferral"] = "AdditionalServicesRequired"
            closed = referral.year < 2020 and rng.random() < 0.7
            rec["cas_Status"] = "Closed" if closed else ("Active" if rng.random() < 0.7 else "FollowUp")
        if rng.random() < 0.5:
            rec["prs_Email"] = f"synthetic-{num}@example.invalid"
        if rng.random() < 0.5:
            rec["prs_MobilePhone"] = f"+999{i % 10**11:011d}"
        yield rec


def sample_list(n: int, seed: int = 0) -> Sequence[dict[str, Any]]:
    """``list(generate(n, seed))``, for tests and notebooks."""
    return list(generate(n, seed))
