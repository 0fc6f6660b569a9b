"""Hypothesis strategies for malformed files: random bytes, damaged copies of real files, table-like text."""

from __future__ import annotations

from hypothesis import strategies as st

from .malformed_files import CASE_HEADER, CASE_ROW, HISTORY, case_files, history_files

_SEEDS = sorted({**case_files(), **history_files()}.items())
SEED_BYTES = [data[:20_000] for _name, data in _SEEDS] + [
    f"{CASE_HEADER}\n{CASE_ROW}\n".encode(),
    HISTORY.encode(),
]

EXTENSIONS = [".csv", ".tsv", ".txt", ".json", ".jsonl", ".xlsx", ".xls", "", ".dat", ".bin"]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A seed file truncated, with bytes flipped, and bytes inserted."""
    data = bytearray(draw(st.sampled_from(SEED_BYTES)))
    if data and draw(st.booleans()):
        del data[draw(st.integers(0, len(data))) :]
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(
            st.sampled_from([b'"', b"\x00", b"\r", b"\n", b",", b"[", b"{", b"\xef\xbb\xbf", b"\xff"])
        )
    return bytes(data)


table_text = st.lists(
    st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from('01aZ ,;\t"\r\n\x00é-.e+'), max_size=8),
            st.sampled_from(["count", "A", "B", "prs_Gender", "Feminine", "NaN", "-1", "1e400", str(2**63)]),
        ),
        min_size=1,
        max_size=6,
    ),
    max_size=8,
).map(lambda rows: "\n".join(",".join(r) for r in rows))

file_bytes = st.one_of(
    st.binary(max_size=2048),
    damaged(),
    table_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(SEED_BYTES),
)
