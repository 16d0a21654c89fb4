"""The ranking benchmark's judge (the median of three label sets) and, on the dev corpus, the target it checks
for both posting sets: each posting's best fit first and no unrelated person above a related one."""

from __future__ import annotations

import pytest

from bench.ranking import (
    CORPUS_DOCS,
    DEFAULT_RENDERING,
    POSTING_SETS,
    judge,
    load_label_sets,
    median_labels,
    parse_people,
    posting_text,
)
from pipeline.matching import match
from schemas.request import ParseRequestConfig, resolve_config


def test_the_median_of_three_grades_is_the_majority_and_keeps_one_best_fit() -> None:
    sets = {"author": {"nurse": {"p1": 2, "p2": 1, "p3": 0}},
            "a": {"nurse": {"p1": 2, "p2": 0, "p3": 1}},
            "b": {"nurse": {"p1": 2, "p2": 0, "p3": 0}}}
    assert median_labels(sets) == {"nurse": {"p1": 2, "p2": 0, "p3": 0}}


def test_label_sets_that_disagree_on_the_best_fit_stop_the_benchmark() -> None:
    sets = {"author": {"nurse": {"p1": 2, "p2": 1}}, "a": {"nurse": {"p1": 1, "p2": 2}},
            "b": {"nurse": {"p1": 1, "p2": 2}}}
    assert median_labels(sets) == {"nurse": {"p1": 1, "p2": 2}}
    sets["b"] = {"nurse": {"p1": 2, "p2": 2}}
    with pytest.raises(SystemExit, match="2 best fits"):
        median_labels(sets)


@pytest.mark.parametrize("name", sorted(POSTING_SETS))
def test_the_shipped_label_sets_grade_every_posting_and_the_same_pairs(name: str) -> None:
    chosen = POSTING_SETS[name]
    sets = load_label_sets(chosen)
    shapes = {repr(sorted((posting, sorted(grades)) for posting, grades in postings.items()))
              for postings in sets.values()}
    assert len(shapes) == 1
    postings = {path.stem for path in chosen.postings.iterdir() if path.suffix in (".md", ".txt")}
    assert set(next(iter(sets.values()))) == postings


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_DOCS.is_dir(), reason="the dev corpus in ../shared is not here")
def test_every_best_fit_ranks_first_and_no_unrelated_person_above_a_related_one() -> None:
    top_skills = resolve_config(ParseRequestConfig(), False).matching.top_skills
    graded = {name: median_labels(load_label_sets(chosen)) for name, chosen in POSTING_SETS.items()}
    people = sorted({person for labels in graded.values() for grades in labels.values() for person in grades})
    parsed = parse_people(people, DEFAULT_RENDERING)
    for name, labels in sorted(graded.items()):
        for posting, grades in labels.items():
            text = posting_text(POSTING_SETS[name], posting)
            judged = judge(posting, {person: match(parsed[person], text, top_skills).score for person in people},
                           grades)
            assert judged.best_first, (name, posting, judged.top3)
            assert judged.violations == 0, (name, posting, judged.scores)
