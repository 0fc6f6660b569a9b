"""Bounded integer types for every integer the API accepts (path, query, form and JSON body).

An unbounded ``int`` lets a caller send ``2**63`` or ``-1``, which the database cannot store or compare
(SQLite raises OverflowError, PostgreSQL "out of range"), and negative offsets that slicing refuses. Every
integer in an API schema uses one of these instead; ``tests/web/test_input_limits.py`` checks that the
OpenAPI document gives every integer a minimum and a maximum.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = [
    "MAX_ID",
    "MAX_OFFSET",
    "MAX_VERSION",
    "ObjectId",
    "Offset",
    "Seed",
    "Version",
    "Year",
    "page_size",
]

MAX_ID = 2**63 - 1  # BigAutoField: a signed 64-bit integer on SQLite and PostgreSQL
MAX_OFFSET = 2**31 - 1
MAX_VERSION = 2**31 - 1

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="A record's id.")]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Version = Annotated[int, Field(ge=0, le=MAX_VERSION)]
Year = Annotated[int, Field(ge=1900, le=2100)]
Seed = Annotated[int, Field(ge=0, le=2**32 - 1)]


def page_size(maximum: int) -> object:
    """A page size from 1 to ``maximum``: ``limit: Annotated[int, page_size(1000)] = 100``."""
    return Field(ge=1, le=maximum, description=f"Rows to return, 1 to {maximum:,}.")
