"""Privacy-preserving record linkage: keyed Bloom-filter encodings made at each agency, linked at the
platform by Dice similarity without any person's value leaving the agency.

``encode_source`` (agency) -> ``.enc`` bytes -> ``read_encodings`` (platform) -> ``match_encodings``
-> :class:`~vinculo.linkage.model.LinkResult`. The threat model is in ``docs/linkage/pprl.md``.
"""

from vinculo.linkage.pprl.encode import MIN_SECRET_BYTES, encode_source, load_secret
from vinculo.linkage.pprl.fileformat import EncodedSource, read_encodings, verify_encodings
from vinculo.linkage.pprl.match import match_encodings
from vinculo.linkage.pprl.schema import DEFAULT_SCHEMA, FieldSpec, Schema

__all__ = [
    "DEFAULT_SCHEMA",
    "MIN_SECRET_BYTES",
    "EncodedSource",
    "FieldSpec",
    "Schema",
    "encode_source",
    "load_secret",
    "match_encodings",
    "read_encodings",
    "verify_encodings",
]
