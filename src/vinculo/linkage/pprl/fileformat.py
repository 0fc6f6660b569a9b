"""The ``.enc`` file: one agency's encodings, self-describing and checked end to end.

Layout (all integers little-endian)::

    magic        8 bytes   b"VNPPRL\\r\\n"   (the CR LF catches text-mode copies)
    version      u16       1
    header_len   u32       then a UTF-8 JSON object:
                              format, schema (the schema's canonical JSON), schema_fingerprint,
                              secret_check, source, records, words (64-bit words per CLK),
                              tokens (blocking keys per record), created_by
    ids_len      u32       then a UTF-8 JSON array of the record ids, in input order
    clks         records x words x 8 bytes      the hardened Bloom filters
    tokens       records x tokens x 8 bytes     keyed blocking keys (0 = none)
    sha256       32 bytes  SHA-256 of everything above: truncation and corruption are detected by anyone
    mac          32 bytes  HMAC-SHA256 of everything above, under a key derived from the secret:
                           an agency holding the secret can check that nobody altered the file

Nothing in the file is a person's value: the header holds the schema (public) and counts; the
records hold the agency's own record id, bits and keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vinculo import __version__
from vinculo.errors import VinculoError
from vinculo.linkage.pprl._errors import input_error
from vinculo.linkage.pprl.encode import secret_check, subkey
from vinculo.linkage.pprl.schema import DEFAULT_SCHEMA, Schema

__all__ = ["MAGIC", "EncodedSource", "read_encodings", "verify_encodings", "write_encodings"]

MAGIC = b"VNPPRL\r\n"
VERSION = 1
_TRAILER = 64


@dataclass(frozen=True, eq=False)
class EncodedSource:
    """One ``.enc`` file as read and checked by :func:`read_encodings`."""

    name: str
    file: str
    ids: tuple[str, ...]
    clks: np.ndarray
    tokens: np.ndarray
    schema: Schema
    secret_check: str

    def __len__(self) -> int:
        return len(self.ids)


def write_encodings(
    *, source: str, ids: Sequence[str], clks: np.ndarray, tokens: np.ndarray, schema: Schema, secret: bytes
) -> bytes:
    """Serialise encodings (see the module docstring); the caller writes the bytes atomically."""
    header = {
        "format": "vinculo-pprl",
        "schema": json.loads(schema.to_json()),
        "schema_fingerprint": schema.fingerprint,
        "secret_check": secret_check(secret, schema),
        "source": source,
        "records": len(ids),
        "words": schema.length // 64,
        "tokens": len(schema.blocking),
        "created_by": f"vinculo {__version__}",
    }
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    id_bytes = json.dumps(list(ids), ensure_ascii=False, separators=(",", ":")).encode()
    body = b"".join(
        (
            MAGIC,
            struct.pack("<HI", VERSION, len(head)),
            head,
            struct.pack("<I", len(id_bytes)),
            id_bytes,
            np.ascontiguousarray(clks, dtype="<u8").tobytes(),
            np.ascontiguousarray(tokens, dtype="<u8").tobytes(),
        )
    )
    body += hashlib.sha256(body).digest()
    return body + hmac.digest(subkey(secret, "file-mac", schema), body, "sha256")


def _bad(file: str, code: str, message: str, fix: str) -> VinculoError:
    return input_error(file, code, message, fix)


def _corrupt(file: str, what: str) -> VinculoError:
    return _bad(
        file,
        "linkage.pprl.corrupt",
        f"the encodings file is truncated or damaged ({what}).",
        "Ask the agency for the file again; copy it as a binary file (no e-mail text, no FTP ASCII mode).",
    )


def read_encodings(
    data: bytes | str | Path, *, name: str | None = None, schema: Schema | None = None
) -> EncodedSource:
    """Read and check one ``.enc`` file; refuse a damaged, truncated or other-schema file.

    ``schema`` is the schema the platform expects (:data:`DEFAULT_SCHEMA` unless given); a file made
    with another schema is refused with ``linkage.pprl.schema_mismatch``.
    """
    if isinstance(data, bytes):
        file = name or "<encodings>"
        raw = data
    else:
        path = Path(data)
        file = name or path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise _bad(
                file,
                "linkage.pprl.unreadable",
                f"cannot read the file ({exc.strerror or exc}).",
                "Check the path.",
            ) from None
    if not raw:
        raise _bad(
            file,
            "linkage.pprl.empty",
            "the file is empty.",
            "Give the .enc file that `vinculo encode` wrote.",
        )
    if not raw.startswith(MAGIC):
        raise _bad(
            file,
            "linkage.pprl.not_encodings",
            "this is not a vinculo encodings file (no VNPPRL signature).",
            "Give the .enc file that `vinculo encode` wrote.",
        )
    if len(raw) < len(MAGIC) + 6 + _TRAILER:
        raise _corrupt(file, "too short")
    body, digest = raw[:-_TRAILER], raw[-_TRAILER:-32]
    if hashlib.sha256(body).digest() != digest:
        raise _corrupt(file, "its SHA-256 check does not match")
    version, head_len = struct.unpack_from("<HI", body, len(MAGIC))
    if version != VERSION:
        raise _bad(
            file,
            "linkage.pprl.version",
            f"the file has format version {version}; this vinculo reads version {VERSION}.",
            "Encode again with the same vinculo version as the platform.",
        )
    pos = len(MAGIC) + 6
    try:
        header = json.loads(body[pos : pos + head_len])
        pos += head_len
        (ids_len,) = struct.unpack_from("<I", body, pos)
        pos += 4
        ids = json.loads(body[pos : pos + ids_len].decode())
        pos += ids_len
        n, words, n_tokens = int(header["records"]), int(header["words"]), int(header["tokens"])
        file_schema = Schema.from_json(json.dumps(header["schema"]))
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError):
        raise _corrupt(file, "its header cannot be read") from None
    expected = schema or DEFAULT_SCHEMA
    if (
        header.get("schema_fingerprint") != file_schema.fingerprint
        or file_schema.fingerprint != expected.fingerprint
    ):
        raise _bad(
            file,
            "linkage.pprl.schema_mismatch",
            f"the file was encoded with schema {str(header.get('schema_fingerprint'))[:12]}…, "
            f"not the expected {expected.fingerprint[:12]}….",
            "Every agency must encode with the same vinculo version and schema; encode the file again.",
        )
    if not isinstance(ids, list) or len(ids) != n or not all(isinstance(i, str) for i in ids):
        raise _corrupt(file, "the record ids do not match the record count")
    if n == 0:
        raise _bad(file, "linkage.pprl.empty", "the file holds no records.", "Encode a file with records.")
    if len(set(ids)) != n:
        raise _corrupt(file, "a record id repeats")
    need = n * words * 8 + n * n_tokens * 8
    if len(body) - pos != need:
        raise _corrupt(file, f"{len(body) - pos} bytes of records where {need} were expected")
    clks = np.frombuffer(body, dtype="<u8", count=n * words, offset=pos).reshape(n, words)
    tokens = np.frombuffer(body, dtype="<u8", count=n * n_tokens, offset=pos + n * words * 8).reshape(
        n, n_tokens
    )
    return EncodedSource(
        name=str(header["source"]),
        file=file,
        ids=tuple(ids),
        clks=clks,
        tokens=tokens,
        schema=file_schema,
        secret_check=str(header["secret_check"]),
    )


def verify_encodings(data: bytes, secret: bytes, *, name: str = "<encodings>") -> None:
    """For agencies: raise unless the file's MAC matches the secret (nobody altered it)."""
    encoded = read_encodings(data, name=name)
    if encoded.secret_check != secret_check(secret, encoded.schema):
        raise _bad(
            name,
            "linkage.pprl.secret_mismatch",
            "the file was made with another secret.",
            "Use the shared secret.",
        )
    key = subkey(secret, "file-mac", encoded.schema)
    if not hmac.compare_digest(hmac.digest(key, data[:-32], "sha256"), data[-32:]):
        raise _bad(
            name,
            "linkage.pprl.tampered",
            "the file's MAC does not match: it was altered after encoding.",
            "Do not use this file; encode again.",
        )
