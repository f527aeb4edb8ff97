"""Demo data: fictional supplement reviews and a product catalogue, written for SynGen (not real reviews)."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def demo_paths() -> tuple[Path, Path]:
    """Paths of the bundled demo table and its catalogue: (reviews.csv, products.csv)."""
    return _HERE / "reviews.csv", _HERE / "products.csv"


__all__ = ["demo_paths"]
