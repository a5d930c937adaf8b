"""Benchmark: time-zone overlap for a large distributed organisation.

Prints the time to build the pair matrix and the fair meeting slots for N people, next to a floor: placing every
person's working days in UTC (the zone conversions nothing can skip) plus one bare tuple comparison per pair.

    .venv/bin/python benchmarks/overlap.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date

from pathcraft.workload import overlap as ov

ZONES = [
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
    "Europe/London", "Europe/Berlin", "Europe/Helsinki", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo",
    "Australia/Sydney", "Pacific/Auckland",
]  # fmt: skip


def team(n: int) -> list[ov.Person]:
    rng = random.Random(7)
    return [
        ov.Person(
            f"p{i}",
            rng.choice(ZONES),
            rng.choice([7, 8, 9, 10]) * 60,
            rng.choice([16, 17, 18]) * 60,
            email="",
        )
        for i in range(n)
    ]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    people = team(n)
    week = date(2026, 3, 10)

    def floor():
        spans = [ov.working_intervals(p, week) for p in people]
        hits = 0
        for i in range(n):
            for j in range(i + 1, n):
                hits += spans[i][0][0] < spans[j][0][1]
        return hits

    t_floor, _ = timed(floor)
    t_matrix, _ = timed(lambda: ov.overlap_matrix(people, week))
    small = people[:12]
    t_slots, _ = timed(lambda: ov.best_slots(small, week, 60))
    t_rot, _ = timed(lambda: ov.rotation(small, week, 60))
    print(f"people: {n}, pairs: {n * (n - 1) // 2}")
    print(f"floor (zone placement + one comparison per pair): {t_floor:.3f} s")
    print(
        f"overlap matrix:                                  {t_matrix:.3f} s  ({t_matrix / t_floor:.1f}x floor)"
    )
    print(f"best 60-min slots for a team of 12:               {t_slots:.3f} s")
    print(f"rotation for a team of 12:                        {t_rot:.3f} s")


if __name__ == "__main__":
    main()
