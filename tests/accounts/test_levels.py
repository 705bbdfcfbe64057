import pytest

from accounts.levels import LEVEL_THRESHOLDS, level_for_xp, xp_for_level


@pytest.mark.parametrize(
    ("xp", "level"),
    [(0, 1), (99, 1), (100, 2), (249, 2), (250, 3), (4999, 9), (5000, 10), (6499, 10), (6500, 11)],
)
def test_level_is_the_number_of_thresholds_reached(xp, level):
    assert level_for_xp(xp) == level


def test_negative_xp_is_level_one():
    assert level_for_xp(-5) == 1


def test_xp_for_level_is_the_inverse_of_level_for_xp():
    for level in range(1, len(LEVEL_THRESHOLDS) + 5):
        assert level_for_xp(xp_for_level(level)) == level
        assert level_for_xp(xp_for_level(level) - 1) == max(level - 1, 1)
