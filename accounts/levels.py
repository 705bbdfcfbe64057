"""Level is a pure function of XP: the number of thresholds reached."""

from bisect import bisect_right

# XP needed to reach level 1, 2, 3, ...; past the table every level costs LEVEL_STEP more.
LEVEL_THRESHOLDS = (0, 100, 250, 500, 900, 1400, 2000, 2800, 3800, 5000)
LEVEL_STEP = 1500


def level_for_xp(xp: int) -> int:
    xp = max(int(xp), 0)
    top = LEVEL_THRESHOLDS[-1]
    if xp < top:
        return bisect_right(LEVEL_THRESHOLDS, xp)
    return len(LEVEL_THRESHOLDS) + (xp - top) // LEVEL_STEP


def xp_for_level(level: int) -> int:
    if level <= len(LEVEL_THRESHOLDS):
        return LEVEL_THRESHOLDS[max(level, 1) - 1]
    return LEVEL_THRESHOLDS[-1] + (level - len(LEVEL_THRESHOLDS)) * LEVEL_STEP


def level_sql(xp: str) -> str:
    """The same function in SQL over the SQL expression `xp` (integer arithmetic only, so any
    database computes it alike): an UPDATE sets xp and level together from the row's own value
    (no read-modify-write, no lost update)."""
    top = LEVEL_THRESHOLDS[-1]
    steps = " ".join(
        f"WHEN {xp} >= {threshold} THEN {level}"
        for level, threshold in reversed(list(enumerate(LEVEL_THRESHOLDS[:-1], start=1)))
        if threshold > 0
    )
    beyond = f"{len(LEVEL_THRESHOLDS)} + ({xp} - {top}) / {LEVEL_STEP}"
    return f"CASE WHEN {xp} >= {top} THEN {beyond} {steps} ELSE 1 END"
