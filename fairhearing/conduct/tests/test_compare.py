from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fairhearing.conduct.compare import ClauseData, compare_clauses, word_diff


def _c(identifier: str, title: str = "T", text: str = "Some text.", parent: str | None = None) -> ClauseData:
    return ClauseData(identifier=identifier, title=title, text=text, parent=parent)


def test_it_classifies_each_clause_by_its_identifier() -> None:
    older = [_c("A"), _c("B", text="Old words here."), _c("C"), _c("D", parent="A")]
    newer = [_c("A"), _c("B", text="New words here."), _c("D", parent=None), _c("E")]
    result = compare_clauses(older, newer)
    kinds = {c.identifier: c.kind for c in result.changes}
    assert kinds == {"A": "unchanged", "B": "reworded", "C": "removed", "D": "moved", "E": "added"}
    assert result.counts == {"added": 1, "removed": 1, "reworded": 1, "moved": 1, "unchanged": 1}
    assert not result.identical


def test_a_removed_clause_stays_where_it_was() -> None:
    result = compare_clauses([_c("A"), _c("B"), _c("C")], [_c("A"), _c("C")])
    assert [c.identifier for c in result.changes] == ["A", "B", "C"]
    first = compare_clauses([_c("A"), _c("B")], [_c("B")])
    assert [c.identifier for c in first.changes] == ["A", "B"]


def test_a_title_change_alone_is_a_rewording_and_whitespace_is_not() -> None:
    result = compare_clauses([_c("A", title="Old", text="a  b\nc")], [_c("A", title="New", text="a b c")])
    change = result.changes[0]
    assert change.kind == "reworded"
    assert [(s.op, s.text) for s in change.title_diff] == [("delete", "Old"), ("insert", "New")]
    assert all(s.op == "equal" for s in change.text_diff)
    assert compare_clauses([_c("A", text="x  y")], [_c("A", text="x y")]).identical


def test_the_word_diff_marks_what_was_removed_and_inserted() -> None:
    diff = word_diff("Do not insult people.", "Do not insult or threaten people.")
    assert [(s.op, s.text) for s in diff] == [("equal", "Do not insult"), ("insert", "or threaten"), ("equal", "people.")]


def test_it_refuses_a_version_listing_an_identifier_twice() -> None:
    try:
        compare_clauses([_c("A"), _c("A")], [])
    except ValueError as error:
        assert "older version lists clause A twice" in str(error)
    else:
        raise AssertionError("a duplicate identifier was accepted")


words = st.lists(st.sampled_from(["a", "b", "c", "the", "Jews", "x."]), max_size=12).map(" ".join)


@given(words, words)
def test_the_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    diff = word_diff(old, new)
    assert " ".join(s.text for s in diff if s.op != "insert" and s.text) == " ".join(old.split())
    assert " ".join(s.text for s in diff if s.op != "delete" and s.text) == " ".join(new.split())
