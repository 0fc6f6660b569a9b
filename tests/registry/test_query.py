from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from vinculo.registry import MAX_QUERY_WORDS, normalise_text, parse_query, to_fts5_match, to_tsquery


def test_words_phrases_and_exclusions_are_parsed() -> None:
    query = parse_query('Child  "forced   labour" -begging OR (shelter)')
    assert query.terms == ("child", "or", "shelter")
    assert query.phrases == (("forced", "labour"),)
    assert query.excluded == ("begging",)


def test_punctuation_and_operators_are_only_separators() -> None:
    query = parse_query('anti-trafficking; DROP TABLE x; NEAR(a b) "unclosed')
    assert query.terms == ("anti", "trafficking", "drop", "table", "x", "near", "a", "b", "unclosed")
    assert query.phrases == ()


def test_exclusions_alone_make_an_empty_query() -> None:
    query = parse_query("-labour")
    assert query.is_empty
    assert to_fts5_match(query) == "" and to_tsquery(query) == ""


def test_long_queries_are_cut_to_the_word_limit() -> None:
    assert len(parse_query(" ".join(f"w{i}" for i in range(100))).terms) == MAX_QUERY_WORDS


def test_normalisation_removes_accents_harakat_hamza_and_tatweel() -> None:
    assert normalise_text("Protección ÉLÈVES") == "proteccion eleves"
    assert normalise_text("الأطفَال") == normalise_text("الاطفال")
    assert normalise_text("حـمـايـة") == "حماية"


def test_fts5_expression_uses_prefixes_for_longer_words_only() -> None:
    assert to_fts5_match(parse_query('víctimas de "trata personas" -niños')) == (
        '"victimas"* AND "de" AND "trata personas" NOT "ninos"'
    )


def test_tsquery_text_quotes_every_word() -> None:
    assert to_tsquery(parse_query("Protección niños"), normalise=True) == "'proteccion':* & 'ninos':*"
    assert to_tsquery(parse_query("Protección"), prefix=False) == "'protección'"


@given(st.text(max_size=80))
def test_any_input_gives_a_valid_fts5_expression(text: str) -> None:
    match = to_fts5_match(parse_query(text))
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
    connection.execute("INSERT INTO t VALUES ('some text')")
    if match:
        connection.execute("SELECT rowid FROM t WHERE t MATCH ?", [match]).fetchall()
