"""A populated platform for the backup tests, run inside a child process (see platform_process.py).

``populate()`` writes cases with encrypted identifiers, a quarantine file, uploaded files, audit and
ledger entries; ``fingerprint()`` describes every row of every table, every file, the decrypted
identifiers and the state of both chains, so two platforms can be compared exactly.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

CSV = (
    "record_id,prs_FirstName,prs_SecondName,prs_Gender,prs_Citizenship,hte_Country,hte_Type,"
    "cas_IncomingReferralDate,vic_AgeWhenTrafficked,vic_TypeOfExploitation,vic_MethodsOfControl,con_Consent\n"
    "R1,Zenobia,Quillfeather,Feminine,UA,PL,Exploitation,2021-03-04,24,ForcedLabour,DebtBondage,TRUE\n"
    "R2,Ottoline,Marchbanks,Masculine,MD,IT,Exploitation,2021-05-06,31,SexualExploitation,PhysicalAbuse,FALSE\n"
    "R9,Ximena,Oddbody,Robot,,,,2021-13-45,,,,TRUE\n"
)
FILES = {
    "network/meetings/minutes-2024.pdf": b"%PDF-1.4 minutes of the coordination meeting\n",
    "programmes/documents/evaluation.pdf": b"%PDF-1.4 evaluation report\n" * 50,
}


def populate() -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from vinculo.web.accounts import actions as accounts
    from vinculo.web.accounts.models import OrganisationKind, Role
    from vinculo.web.cases import actions as cases
    from vinculo.web.trustfund import actions as fund

    org = accounts.create_organisation(
        actor=None, name="Backup Shelter", short_name="BS", kind=OrganisationKind.CIVIL_SOCIETY
    )
    admin = accounts.create_user(
        actor=None, username="bk_admin", password="x" * 20, organisation=None, role=Role.ADMIN
    )
    manager = accounts.create_user(
        actor=None,
        username="bk_manager",
        password="x" * 20,
        organisation=org,
        role=Role.DATA_MANAGER,
        email="bk_manager@example.org",
    )
    submission = cases.create_submission(actor=manager, data=CSV.encode(), file_name="cases.csv")
    cases.confirm_submission(actor=manager, submission=submission, valid_only=True)
    # Checked but not imported: its upload stays in the database, encrypted, until it is.
    pending = CSV.replace("Zenobia", "Philippa").replace("R1,", "P1,")
    cases.create_submission(actor=manager, data=pending.encode(), file_name="pending.csv")
    for name, data in FILES.items():
        default_storage.save(name, ContentFile(data))
    fund.record_contribution(
        actor=admin, received_on=date(2024, 1, 5), amount="1500.25", currency="USD", donor_name="A"
    )
    fund.record_contribution(
        actor=admin, received_on=date(2024, 2, 5), amount="99", currency="EUR", donor_name="B"
    )


def fingerprint() -> dict[str, object]:
    from django.conf import settings
    from django.db import connection

    from vinculo.web.audit.chain import chained_models, verify
    from vinculo.web.cases.models import CaseRecord, SubmissionContent
    from vinculo.web.cases.protection import keyring, open_protected
    from vinculo.web.cases.services import unseal_bytes

    tables: dict[str, list[object]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = sorted(repr(row) for row in cursor.fetchall())
            tables[table] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()]
    media = Path(settings.MEDIA_ROOT)
    files = {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*"))
        if p.is_file()
    }
    names = sorted(str(open_protected(r.protected).get("prs_FirstName")) for r in CaseRecord.objects.all())
    quarantine = [
        unseal_bytes(c.quarantine, keyring()).decode("utf-8")
        for c in SubmissionContent.objects.exclude(quarantine="")
    ]
    uploads = [
        unseal_bytes(c.upload, keyring()).decode("utf-8")
        for c in SubmissionContent.objects.exclude(upload="")
    ]
    chains = {name: [verify(model).ok, verify(model).count] for name, model in chained_models().items()}
    return {
        "tables": tables,
        "files": files,
        "names": names,
        "quarantine_has_rejected_row": any("Ximena" in q for q in quarantine),
        "pending_upload_has_names": any("Philippa" in u for u in uploads),
        "chains": chains,
    }


def print_fingerprint() -> None:
    print(json.dumps(fingerprint(), sort_keys=True))
