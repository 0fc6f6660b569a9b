"""Encryption of protected identifiers at rest, with key rotation (no Django).

Names, dates of birth, document numbers, contact details and free-text notes are stored only as
Fernet tokens (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package). A :class:`KeyRing`
holds the configured keys, newest first: new values are encrypted with the first key, and any key
in the ring decrypts. To rotate, put a new key first, keep the old ones, re-encrypt with
:meth:`KeyRing.rotate`, then drop the old keys.

:meth:`KeyRing.blind_index` gives a keyed HMAC of a normalised value, so that equal identifiers
can be found (for example to avoid importing the same person twice) without storing them in
plaintext.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import unicodedata
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from vinculo.errors import VinculoError

__all__ = ["DecryptionError", "KeyRing", "generate_key"]


class DecryptionError(VinculoError):
    code = "protect.cannot_decrypt"


def generate_key() -> str:
    """A new random key, printable, for ``VINCULO_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode("ascii")


def _normalise(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


class KeyRing:
    """The configured encryption keys, newest first."""

    def __init__(self, keys: Sequence[str], *, index_key: bytes | None = None) -> None:
        if not keys:
            raise VinculoError(
                "No encryption key is configured.",
                code="protect.no_key",
                fix="Set VINCULO_ENCRYPTION_KEYS to one or more keys made with `vinculo generate-key`.",
            )
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
                raise VinculoError(
                    f"Encryption key number {position} is not a valid key: it must be 32 bytes in "
                    "url-safe base64 (44 characters).",
                    code="protect.bad_key",
                    fix="Make one with `vinculo generate-key`.",
                ) from exc
        self._newest = fernets[0]
        self._multi = MultiFernet(fernets)
        # Blind indexes should outlive key rotation: callers pass a stable secret as ``index_key``.
        # Without one, the key is derived from the newest encryption key (indexes then change when
        # a new key is put first).
        source = index_key if index_key is not None else base64.urlsafe_b64decode(keys[0])
        self._index_key = hashlib.sha256(b"vinculo-blind-index:" + source).digest()
        self._purpose_keys: dict[str, bytes] = {}

    def _purpose_key(self, purpose: str) -> bytes:
        key = hmac.new(self._index_key, b"purpose:" + purpose.encode("utf-8"), hashlib.sha256).digest()
        self._purpose_keys[purpose] = key
        return key

    def encrypt(self, plaintext: str) -> str:
        return self._multi.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._multi.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError(
                "A protected value could not be decrypted with any configured key.",
                fix="Check that VINCULO_ENCRYPTION_KEYS still contains the key the value was written with.",
            ) from exc

    def is_current(self, token: str) -> bool:
        """Whether ``token`` is already encrypted with the newest key (so rotation may skip it)."""
        try:
            self._newest.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            return False
        return True

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` with the newest key (decrypting with whichever key made it)."""
        try:
            return self._multi.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as exc:
            raise DecryptionError(
                "A protected value could not be re-encrypted: no configured key opens it.",
                fix="Keep the old key in VINCULO_ENCRYPTION_KEYS until every value has been rotated.",
            ) from exc

    def blind_index(self, value: str, *, purpose: str = "", exact: bool = False) -> str:
        """A keyed fingerprint of ``value`` for equality look-ups.

        By default case- and space-insensitive; ``exact=True`` keeps the value as it is (for ids,
        where ``R1`` and ``r1`` are different records). A ``purpose`` gives a separate key, so that
        fingerprints made for one column cannot be matched against another's.
        """
        key = self._index_key
        if purpose:
            key = self._purpose_keys.get(purpose) or self._purpose_key(purpose)
        text = value if exact else _normalise(value)
        return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
