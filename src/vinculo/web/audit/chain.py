"""The hash chain behind the audit trail and the Trust Fund ledger.

Every entry of a chained table gets the next sequence number and a MAC over its content and its
predecessor's MAC (see :mod:`vinculo.chain`), keyed by ``VINCULO_AUDIT_KEYS``, which lives in the
environment and never in the database. Appends are serialised so that concurrent writers never fork
a chain: on PostgreSQL a transaction-scoped advisory lock per chain is held until the writing
transaction commits; SQLite serialises writes itself. A unique sequence number backs both up.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from vinculo.chain import (
    GENESIS,
    ChainEntry,
    ChainHead,
    ChainKeys,
    ChainReport,
    canonical_content,
    verify_chain,
)
from vinculo.errors import VinculoError

KEYS_SETTING = "VINCULO_AUDIT_KEYS"


def chain_keys() -> ChainKeys:
    """The configured chain keys (``VINCULO_AUDIT_KEYS``, newest first)."""
    configured = getattr(settings, KEYS_SETTING, None)
    if isinstance(configured, str):
        configured = [configured]
    if not configured:
        raise VinculoError(
            f"{KEYS_SETTING} is not configured: the audit trail and the ledger cannot be signed.",
            code="chain.no_key",
            fix=f"Set the environment variable {KEYS_SETTING} to a random secret of at least 32 characters "
            "(for example the output of `vinculo generate-key`).",
        )
    return _keys_for(tuple(str(key) for key in configured))


@functools.lru_cache(maxsize=8)
def _keys_for(keys: tuple[str, ...]) -> ChainKeys:
    return ChainKeys(keys, setting=KEYS_SETTING)


def _normalise(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.GenericIPAddressField):
        return field.get_prep_value(value)
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def entry_content(obj: models.Model, fields: tuple[str, ...]) -> str:
    """The canonical content of ``obj`` over ``fields`` (works on historical models in migrations)."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field)
        values[name] = _normalise(field, getattr(obj, field.attname))
    return canonical_content(values)


def _lock_id(chain: str) -> int:
    return int.from_bytes(hashlib.sha256(f"vinculo-chain:{chain}".encode()).digest()[:8], "big", signed=True)


def lock_chain(chain: str, using: str) -> None:
    """Serialise appends to ``chain`` until the current transaction ends (PostgreSQL)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_id(chain)])


def chain_head(model: type[models.Model], using: str) -> tuple[int, str]:
    row = model._base_manager.using(using).order_by("-seq").values_list("seq", "mac").first()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


class ChainedQuerySet(models.QuerySet[Any]):
    """Refuses every bulk write: entries are appended one by one, each signed."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise self.model.AppendOnly(f"{capfirst(self.model._meta.verbose_name_plural)} cannot be changed.")

    def delete(self) -> NoReturn:
        raise self.model.AppendOnly(f"{capfirst(self.model._meta.verbose_name_plural)} cannot be deleted.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise self.model.AppendOnly(
            f"{capfirst(self.model._meta.verbose_name_plural)} are appended one at a time."
        )

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise self.model.AppendOnly(f"{capfirst(self.model._meta.verbose_name_plural)} cannot be changed.")


class ChainedEntry(models.Model):
    """An append-only entry that is part of a hash chain. Subclasses name the chain and its fields."""

    CHAIN: ClassVar[str]
    CHAINED_FIELDS: ClassVar[tuple[str, ...]]
    AppendOnly: ClassVar[type[Exception]]

    seq = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    key_id = models.CharField(_("key id"), max_length=12, editable=False)
    mac = models.CharField(_("MAC"), max_length=64, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or self.seq is not None:
            raise self.AppendOnly(f"{capfirst(self._meta.verbose_name_plural)} cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        keys = chain_keys()
        # No savepoint: a failed append must abort the action that writes it, not just itself.
        with transaction.atomic(using=using, savepoint=False):
            lock_chain(self.CHAIN, using)
            last_seq, last_mac = chain_head(type(self), using)
            self.seq = last_seq + 1
            self.key_id, self.mac = keys.sign(self.CHAIN, self.seq, self.chain_content(), last_mac)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise self.AppendOnly(f"{capfirst(self._meta.verbose_name_plural)} cannot be deleted.")

    def chain_content(self) -> str:
        return entry_content(self, self.CHAINED_FIELDS)


def chain_existing_rows(model: Any, chain: str, fields: tuple[str, ...], using: str) -> int:
    """Sign the rows of a table that predates the chain, in id order (for data migrations).

    The caller must have removed the table's UPDATE trigger first.
    """
    keys = chain_keys()
    previous = GENESIS
    seq = 0
    for obj in model._base_manager.using(using).order_by("id").iterator(chunk_size=2000):
        seq += 1
        key_id, mac = keys.sign(chain, seq, entry_content(obj, fields), previous)
        model._base_manager.using(using).filter(pk=obj.pk).update(seq=seq, key_id=key_id, mac=mac)
        previous = mac
    return seq


def stored_entries(model: type[ChainedEntry], using: str = "default") -> Iterator[ChainEntry]:
    """Every stored entry of ``model`` in sequence order, as read back from the database."""
    queryset = model._base_manager.using(using).order_by("seq")
    for obj in queryset.iterator(chunk_size=2000):
        yield ChainEntry(
            id=int(obj.pk), seq=int(obj.seq), key_id=obj.key_id, mac=obj.mac, content=obj.chain_content()
        )


def verify(
    model: type[ChainedEntry], *, expected_head: ChainHead | None = None, using: str = "default"
) -> ChainReport:
    """Walk ``model``'s chain and name the first broken link."""
    return verify_chain(model.CHAIN, stored_entries(model, using), chain_keys(), expected_head=expected_head)


def chained_models() -> dict[str, type[ChainedEntry]]:
    """The chained tables by chain name."""
    from vinculo.web.audit.models import AuditEntry
    from vinculo.web.trustfund.models import LedgerEntry

    return {AuditEntry.CHAIN: AuditEntry, LedgerEntry.CHAIN: LedgerEntry}
