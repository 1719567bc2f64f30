"""Timing helpers shared by the figures measured as p95 against a same-run baseline."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def p95(samples: list[float]) -> float:
    """The 95th percentile, by rank, as the search figure takes it."""
    ordered = sorted(samples)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def timed(fn: Callable[[], object]) -> float:
    """Milliseconds ``fn`` took."""
    before = time.perf_counter()
    fn()
    return (time.perf_counter() - before) * 1000


def summary(app_ms: list[float], baseline_ms: list[float], by: str = "p95") -> dict[str, float]:
    """Both sides' p95 and median; ``ratio`` (the target) is of the p95s, or with
    ``by="p50"`` of the medians."""
    figures = {
        "app_p95_ms": p95(app_ms),
        "baseline_p95_ms": p95(baseline_ms),
        "app_p50_ms": statistics.median(app_ms),
        "baseline_p50_ms": statistics.median(baseline_ms),
    }
    return {**figures, "ratio": figures[f"app_{by}_ms"] / figures[f"baseline_{by}_ms"]}
