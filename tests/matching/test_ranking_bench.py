"""The ranking benchmark's judge (the median of three label sets) and, on the dev corpus, the target it checks:
each posting's best fit first and no unrelated person above a related one."""

from __future__ import annotations

import pytest

from bench.ranking import CORPUS_DOCS, DEFAULT_RENDERING, JOBS, _judge, _load_label_sets, _median_labels, _parse_people
from pipeline.matching import match
from schemas.request import ParseRequestConfig, resolve_config


def test_the_median_of_three_grades_is_the_majority_and_keeps_one_best_fit() -> None:
    sets = {"author": {"nurse": {"p1": 2, "p2": 1, "p3": 0}},
            "a": {"nurse": {"p1": 2, "p2": 0, "p3": 1}},
            "b": {"nurse": {"p1": 2, "p2": 0, "p3": 0}}}
    assert _median_labels(sets) == {"nurse": {"p1": 2, "p2": 0, "p3": 0}}


def test_label_sets_that_disagree_on_the_best_fit_stop_the_benchmark() -> None:
    sets = {"author": {"nurse": {"p1": 2, "p2": 1}}, "a": {"nurse": {"p1": 1, "p2": 2}},
            "b": {"nurse": {"p1": 1, "p2": 2}}}
    assert _median_labels(sets) == {"nurse": {"p1": 1, "p2": 2}}
    sets["b"] = {"nurse": {"p1": 2, "p2": 2}}
    with pytest.raises(SystemExit, match="2 best fits"):
        _median_labels(sets)


def test_the_shipped_label_sets_grade_the_same_pairs() -> None:
    sets = _load_label_sets()
    shapes = {name: {posting: sorted(grades) for posting, grades in postings.items()}
              for name, postings in sets.items()}
    assert len({repr(shape) for shape in shapes.values()}) == 1
    assert set(next(iter(shapes.values()))) == {path.stem for path in JOBS.glob("*.md")}


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS_DOCS.is_dir(), reason="the dev corpus in ../shared is not here")
def test_every_best_fit_ranks_first_and_no_unrelated_person_above_a_related_one() -> None:
    labels = _median_labels(_load_label_sets())
    people = sorted(next(iter(labels.values())))
    results = _parse_people(people, DEFAULT_RENDERING)
    top_skills = resolve_config(ParseRequestConfig(), False).matching.top_skills
    for posting, grades in labels.items():
        text = (JOBS / f"{posting}.md").read_text(encoding="utf-8")
        judged = _judge(posting, {person: match(results[person], text, top_skills).score for person in people}, grades)
        assert judged.best_first, (posting, judged.top3)
        assert judged.violations == 0, (posting, judged.scores)
