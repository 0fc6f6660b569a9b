from __future__ import annotations

import pytest

from vinculo.coordination import PILLARS, action_points, count_progress


def test_the_four_pillars_each_have_provisional_action_points() -> None:
    codes = {p.code for p in PILLARS}
    assert codes == {"prevent", "protect", "prosecute", "partner"}
    points = action_points()
    assert {p.pillar for p in points} == codes
    assert len({p.code for p in points}) == len(points)
    assert all(p.provisional for p in points)


def test_progress_is_counted_per_group_in_the_given_order() -> None:
    counts = count_progress(
        [("b", "achieved"), ("a", "not_applicable"), ("a", "achieved"), ("c", "in_progress")], ["a", "b"]
    )
    assert [c.group for c in counts] == ["a", "b", "c"]
    assert counts[0].counts["achieved"] == 1 and counts[0].total == 2
    assert counts[0].share("achieved") == 1.0
    with pytest.raises(ValueError, match="Unknown progress status"):
        count_progress([("a", "done")])
