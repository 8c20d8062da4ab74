"""The consistency checks' shortcuts agree with the checks they stand in for (messages: test_validate.py)."""

from __future__ import annotations

import random
from decimal import Decimal

from generator.checks import _in_rank_order, expected_ranks
from generator.model import RankingGroup


def group(rows: list[tuple[str, int]]) -> RankingGroup:
    return RankingGroup.model_validate(
        {
            "title": "合成表格（测试用）",
            "group": "county",
            "rows": [{"unit": f"单位{index}", "score": Decimal(score), "rank": rank} for index, (score, rank) in enumerate(rows)],
        }
    )


def test_a_table_in_rank_order_is_told_in_one_pass_as_the_full_check_tells_it() -> None:
    rng = random.Random(12)
    told = 0
    for _ in range(2000):
        scores = [rng.choice(["90.5", "88", "88.00", "87.25", "70", "0"]) for _ in range(rng.randint(1, 8))]
        if rng.random() < 0.7:
            scores.sort(key=Decimal, reverse=True)
        ranks = expected_ranks(group([(score, 1) for score in scores]))
        if rng.random() < 0.3:
            wrong = rng.randrange(len(ranks))
            ranks[wrong] = max(1, ranks[wrong] + rng.choice([-1, 1]))
        table = group(list(zip(scores, ranks, strict=True)))
        in_order = _in_rank_order(table)
        assert in_order is (ranks == expected_ranks(table) and scores == sorted(scores, key=Decimal, reverse=True))
        told += in_order
    assert told > 500
