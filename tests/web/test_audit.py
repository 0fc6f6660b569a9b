"""Each audited action writes exactly the entry it should, and no code path can change or remove one."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from vinculo.web.accounts.models import Role
from vinculo.web.audit.models import AppendOnlyError, AuditEntry

from .conftest import PASSWORD, World


def last(action: str) -> AuditEntry:
    entry = AuditEntry.objects.filter(action=action).order_by("-id").first()
    assert entry is not None, f"no {action} entry"
    return entry


def test_creating_a_notice_is_audited_with_actor_object_and_address(world: World) -> None:
    client = world.client_for("owner_manager")
    response = client.post(
        "/api/notices",
        data=json.dumps({"title": "audited", "body": "b", "sensitivity": "internal"}),
        content_type="application/json",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 201
    entry = last("create")
    assert entry.actor_username == "owner_manager"
    assert entry.object_type == "exchange.notice"
    assert entry.object_id == str(response.json()["id"])
    assert entry.ip_address == "10.1.2.3"
    assert entry.organisation_id == world.owner.pk


def test_update_and_sharing_change_are_audited(world: World) -> None:
    notice = world.notices["restricted"]
    client = world.client_for("owner_manager")
    before = AuditEntry.objects.count()
    response = client.patch(
        f"/api/notices/{notice.pk}",
        data=json.dumps({"title": "renamed", "shared_with": [world.other.pk]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert AuditEntry.objects.count() == before + 2
    assert last("update").details["changed"] == ["title"]
    permission = last("permission_change")
    assert permission.details["shared_with"] == {"from": [world.partner.pk], "to": [world.other.pk]}


def test_delete_is_audited(world: World) -> None:
    notice = world.notices["public"]
    response = world.client_for("owner_author").post(reverse("exchange:delete", args=[notice.pk]))
    assert response.status_code == 302
    entry = last("delete")
    assert (entry.object_id, entry.actor_username) == (str(notice.pk), "owner_author")


def test_viewing_restricted_data_is_audited_but_public_is_not(world: World) -> None:
    client = world.client_for("partner_analyst")
    before = AuditEntry.objects.filter(action="view").count()
    client.get(reverse("exchange:detail", args=[world.notices["public"].pk]))
    assert AuditEntry.objects.filter(action="view").count() == before
    client.get(reverse("exchange:detail", args=[world.notices["restricted"].pk]))
    client.get(f"/api/notices/{world.notices['restricted'].pk}")
    client.get("/api/notices")
    views = AuditEntry.objects.filter(action="view", actor_username="partner_analyst")
    assert views.count() == before + 3
    assert views.order_by("-id").first().details == {"ids": [world.notices["restricted"].pk]}


def test_a_refused_view_writes_no_view_entry(world: World) -> None:
    before = AuditEntry.objects.filter(action="view").count()
    world.client_for("other_analyst").get(reverse("exchange:detail", args=[world.notices["restricted"].pk]))
    assert AuditEntry.objects.filter(action="view").count() == before


def test_sign_in_sign_out_and_failed_sign_in_are_audited(world: World) -> None:
    client = Client()
    client.post(reverse("accounts:login"), {"username": "owner_manager", "password": "wrong"})
    failed = last("login_failed")
    assert failed.object_repr == "owner_manager"
    assert "wrong" not in json.dumps(failed.details)
    response = client.post(reverse("accounts:login"), {"username": "owner_manager", "password": PASSWORD})
    assert response.status_code == 302
    assert last("login").actor_username == "owner_manager"
    client.post(reverse("accounts:logout"))
    assert last("logout").actor_username == "owner_manager"


def test_role_change_is_a_permission_change(world: World) -> None:
    target = world.users["other_analyst"]
    assert target is not None
    client = world.client_for("admin")
    response = client.post(
        reverse("accounts:person", args=[target.pk]),
        {"role": Role.REVIEWER, "organisation": world.other.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    entry = last("permission_change")
    assert entry.actor_username == "admin1"
    assert entry.details == {
        "from": {"role": "analyst", "organisation": world.other.pk, "is_active": True},
        "to": {"role": "reviewer", "organisation": world.other.pk, "is_active": True},
    }
    target.refresh_from_db()
    assert target.role == Role.REVIEWER


def test_exporting_the_audit_trail_is_itself_audited(world: World) -> None:
    client = world.client_for("admin")
    response = client.get(reverse("audit:export"), {"action": "create"})
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.splitlines()[0].startswith("id,at,actor")
    assert all(",create," in line for line in body.splitlines()[1:])
    assert last("export").details == {"filters": {"action": "create"}}


def test_audit_list_filters_by_actor_and_action(world: World) -> None:
    client = world.client_for("admin")
    response = client.get(reverse("audit:list"), {"actor": "owner_author", "action": "create"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 3
    assert {e.actor_username for e in page} == {"owner_author"}


def test_audit_export_neutralises_spreadsheet_formulas(world: World) -> None:
    client = world.client_for("owner_manager")
    client.post(
        "/api/notices",
        data=json.dumps({"title": '=HYPERLINK("x")', "body": "b", "sensitivity": "public"}),
        content_type="application/json",
    )
    body = b"".join(world.client_for("admin").get(reverse("audit:export")).streaming_content).decode()  # type: ignore[attr-defined]
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world: World) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.action = "delete"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_update_and_delete_of_entries(world: World) -> None:
    entry = AuditEntry.objects.first()
    assert entry is not None
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    entry_again = AuditEntry.objects.get(pk=entry.pk)
    assert entry_again.action == entry.action


def test_the_trail_names_non_public_records_by_number_only(world: World) -> None:
    for sensitivity in ("restricted", "internal"):
        notice = world.notices[sensitivity]
        entry = AuditEntry.objects.filter(object_type="exchange.notice", object_id=str(notice.pk)).first()
        assert entry is not None
        assert entry.object_repr == f"notice #{notice.pk}"
        assert notice.title not in entry.object_repr
    public = world.notices["public"]
    entry = AuditEntry.objects.filter(object_type="exchange.notice", object_id=str(public.pk)).first()
    assert entry is not None and entry.object_repr == public.title
    page = world.client_for("admin").get(reverse("audit:list")).content.decode()
    assert "restricted notice" not in page and "internal notice" not in page


def test_the_notice_list_page_audits_the_restricted_notices_it_shows(world: World) -> None:
    before = AuditEntry.objects.filter(action="view").count()
    world.client_for("partner_analyst").get(reverse("exchange:list"))
    entry = AuditEntry.objects.filter(action="view").latest("id")
    assert AuditEntry.objects.filter(action="view").count() == before + 1
    assert entry.details == {"ids": [world.notices["restricted"].pk]}
    world.client_for("other_analyst").get(reverse("exchange:list"))
    assert AuditEntry.objects.filter(action="view").count() == before + 1
