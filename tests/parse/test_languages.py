"""Spoken languages: one proficiency scale, and language lists printed in the header."""

from __future__ import annotations

import pytest

from pipeline.parse.languages import languages_in_header, parse_languages, proficiency_level


@pytest.mark.parametrize(
    ("written", "level"),
    [("Native speaker", "native"), ("Muttersprache", "native"), ("Courant (C1)", "fluent"), ("B2", "professional"),
     ("Conversational", "intermediate"), ("Grundkenntnisse (A2)", "basic"), ("Professional working proficiency",
     "professional"), ("whatever", None)],
)
def test_one_proficiency_scale(written: str, level: str | None) -> None:
    assert proficiency_level(written) == level


def test_languages_with_levels_on_the_same_or_next_line() -> None:
    found = parse_languages(["English (native), Polish – fluent", "German", "Conversational"])
    assert [(f.language, f.proficiency, f.level) for f in found] == [
        ("English", "native", "native"), ("Polish", "fluent", "fluent"), ("German", "Conversational", "intermediate")]


def test_levels_in_brackets_inside_brackets_and_after_colons() -> None:
    found = parse_languages(["- Deutsch (Muttersprache)", "- Englisch (Verhandlungssicher (C1))",
                             "Französisch: Grundkenntnisse (A2)"])
    assert [(f.language, f.proficiency, f.level) for f in found] == [
        ("Deutsch", "Muttersprache", "native"), ("Englisch", "Verhandlungssicher (C1)", "fluent"),
        ("Französisch", "Grundkenntnisse (A2)", "basic")]


def test_language_lists_in_the_header() -> None:
    header = ["Jane Doe", "jane@example.com Dutch, English, German"]
    assert [f.language for f in languages_in_header(header)] == ["Dutch", "English", "German"]
    wrapped = ["Johannesburg    English, isiZulu, Sesotho,", "Afrikaans"]
    assert [f.language for f in languages_in_header(wrapped)] == ["English", "isiZulu", "Sesotho", "Afrikaans"]
    assert languages_in_header(["Teacher of English and History"]) == []


def test_names_a_column_layout_read_as_one_line_are_each_a_language_with_its_level_in_order() -> None:
    found = parse_languages(["Français Anglais Espagnol", "Langue maternelle", "Courant (C1)", "Intermédiaire (B1)"])
    assert [(lang.language, lang.level) for lang in found] == [
        ("Français", "native"), ("Anglais", "fluent"), ("Espagnol", "intermediate")]
    assert [lang.language for lang in parse_languages(["Mandarin Chinese", "Native"])] == ["Mandarin Chinese"]
    assert [(lang.language, lang.level) for lang in parse_languages(["English", "German", "Fluent"])] == [
        ("English", None), ("German", "fluent")]


def test_a_row_of_names_over_a_row_of_levels_pairs_them_by_column() -> None:
    found = parse_languages(["English    Tamil", "Fluent    Native speaker", "Hindi    Kannada",
                             "Professional working proficiency    Conversational"])
    assert [(lang.language, lang.level) for lang in found] == [
        ("English", "fluent"), ("Tamil", "native"), ("Hindi", "professional"), ("Kannada", "intermediate")]
