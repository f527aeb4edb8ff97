"""Real-vs-synthetic plots for the HTML report, each returned as a base64 PNG so the page is one file.

matplotlib is imported here, inside functions, with the Agg backend: no display, and `import syngen`
stays light.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from collections.abc import Sequence

import numpy as np

REAL_COLOUR, SYNTHETIC_COLOUR = "#4c72b0", "#dd8452"
TOP_CATEGORIES = 12


def load() -> None:
    """Import matplotlib now, in the calling thread (syngen.app.quality says why)."""
    _pyplot()


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _encode(figure) -> str:
    plt = _pyplot()
    buffer = io.BytesIO()
    # Fixed margins instead of tight_layout: that lays the figure out by drawing it an extra time.
    figure.subplots_adjust(left=0.1, right=0.97, top=0.88, bottom=0.3)
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _finite(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[np.isfinite(array)]


def histogram(real: Sequence[float], synthetic: Sequence[float], title: str, xlabel: str,
              clip_quantile: float = 0.99, integer_ticks: bool = False) -> str:
    """Overlaid density histograms on shared bins. Values beyond the real data's central `clip_quantile`
    (widened to the synthetic's central 90%) pile up in the end bins, so one 400-word review or one
    run-on sentence with a reading ease of -800 does not squash every other bar into one."""
    plt = _pyplot()
    a, b = _finite(real), _finite(synthetic)
    low, high = _range(a, b, clip_quantile)
    bins = np.linspace(low, high, 30)
    figure, axis = plt.subplots(figsize=(6, 3))
    for values, colour, label in ((a, REAL_COLOUR, "real"), (b, SYNTHETIC_COLOUR, "synthetic")):
        if len(values):
            axis.hist(np.clip(values, low, high), bins=bins, density=True, alpha=0.55, color=colour,
                      histtype="stepfilled", label=f"{label} ({len(values)})")
    axis.set_title(title)
    axis.set_xlabel(xlabel)
    if integer_ticks:
        from matplotlib.ticker import MaxNLocator

        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.legend()
    return _encode(figure)


def _range(a: np.ndarray, b: np.ndarray, clip_quantile: float) -> tuple[float, float]:
    ends = []
    if len(a):
        ends += [np.quantile(a, 1 - clip_quantile), np.quantile(a, clip_quantile)]
    if len(b):
        ends += [np.quantile(b, 0.05), np.quantile(b, 0.95)]
    low, high = (min(ends), max(ends)) if ends else (0.0, 1.0)
    return (float(low), float(high)) if high > low else (float(low), float(low) + 1.0)


def category_bars(real: Sequence[str], synthetic: Sequence[str], title: str) -> str:
    """Side-by-side shares of the real data's most common categories, with the rest pooled as 'other'."""
    plt = _pyplot()
    real_counts, synthetic_counts = Counter(real), Counter(synthetic)
    top = [k for k, _ in real_counts.most_common(TOP_CATEGORIES)]
    labels = top + ["other"]
    real_shares = _shares(real_counts, top, len(real))
    synthetic_shares = _shares(synthetic_counts, top, len(synthetic))
    figure, axis = plt.subplots(figsize=(6, 3))
    x = np.arange(len(labels))
    axis.bar(x - 0.2, real_shares, width=0.4, color=REAL_COLOUR, label="real")
    axis.bar(x + 0.2, synthetic_shares, width=0.4, color=SYNTHETIC_COLOUR, label="synthetic")
    axis.set_xticks(x, [str(label)[:14] for label in labels], rotation=45, ha="right", fontsize=8)
    axis.set_ylabel("share of rows")
    axis.set_title(title)
    axis.legend()
    return _encode(figure)


def _shares(counts: Counter, top: list[str], total: int) -> list[float]:
    if not total:
        return [0.0] * (len(top) + 1)
    shares = [counts.get(k, 0) / total for k in top]
    return shares + [max(0.0, 1.0 - sum(shares))]


def paired_bars(labels: list[str], real: list[float], synthetic: list[float], title: str,
                first: str = "real", second: str = "synthetic") -> str:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(6, 3))
    x = np.arange(len(labels))
    axis.bar(x - 0.2, [v or 0 for v in real], width=0.4, color=REAL_COLOUR, label=first)
    axis.bar(x + 0.2, [v or 0 for v in synthetic], width=0.4, color=SYNTHETIC_COLOUR, label=second)
    axis.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
    axis.set_title(title)
    axis.legend()
    return _encode(figure)


def years(real_epochs: Sequence[float], synthetic_epochs: Sequence[float], title: str) -> str:
    to_years = 1 / (365.2425 * 24 * 3600)
    return histogram(_finite(real_epochs) * to_years + 1970, _finite(synthetic_epochs) * to_years + 1970,
                     title, "year", clip_quantile=1.0, integer_ticks=True)


def structured_column_plots(report) -> list[tuple[str, str]]:
    """(column, PNG as base64) for every structured column the fidelity property compared: dates by year,
    numbers as histograms, the rest as category bars. Shared by the HTML report and the app."""
    from syngen.evaluation.properties.fidelity import is_numeric

    result = report.properties.get("fidelity")
    plots = []
    for name, values in (result.series if result else {}).items():
        column = report.context.profile.column(name)
        if column.kind.value == "datetime":
            data = years(values["real"], values["synthetic"], f"{name}: dates")
        elif is_numeric(column):
            data = histogram(values["real"], values["synthetic"], name, name)
        else:
            data = category_bars(values["real"], values["synthetic"], name)
        plots.append((name, data))
    return plots
