"""How a column writes its numbers: currency, thousands separators, decimal commas, percents, signs, zero
padding, scientific notation. Learned once per column, used to read real values and to write new ones exactly
the same way. Written by hand: number-parsing libraries (babel) read one locale's numbers, they do not learn
an unknown column's convention from its values.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
from pydantic import BaseModel

MIN_SHARE = 0.95  # of the non-empty values that must be read with one format
SAMPLE = 2000  # distinct values a format is learned from
_LOOSE = re.compile(r"[^\d]{0,4}[+-]?\d[\d.,' \u00a0]*(?:[eE][+-]?\d+)?\s?[^\d]{0,3}")  # a cheap first screen
# (thousands separator, decimal mark), in order of preference when several read every value
_CONVENTIONS = [("", "."), (",", "."), (".", ","), ("", ","), (" ", "."), (" ", ","), ("'", "."), ("\u00a0", ",")]
_AFFIX = r"[^\w\s+\-.,]{1,3}\s?|[A-Z]{3}\s"  # $ € £ USD: marks, not letters (C0042 is a code)
_SUFFIX = r"\s?[^\w\s+\-.,]{1,3}|\s[A-Za-z]{1,3}"  # % € " kg"


class NumberFormat(BaseModel):
    """One column's way of writing numbers. `decimals` counts the fraction digits the real values used."""

    prefix: str = ""
    suffix: str = ""
    thousands: str = ""
    decimal_mark: str = "."
    decimals: dict[str, int] = {"0": 1}
    strip_zeros: bool = False  # no real fraction ends in 0: write 0.68, not 0.6800
    point_zero: bool = False  # with strip_zeros, a whole number keeps ".0" as the real ones do (1.0: Python's repr)
    whole: bool = False  # every real fraction is zeros (15.0: whole numbers a missing value made floats)
    plus_sign: bool = False  # positive values carry an explicit +
    sign_after_prefix: bool = False  # $-5.00 rather than -$5.00
    width: int = 0  # integers zero-padded to this many digits (02134)
    exponent: str = ""  # "e" or "E" for scientific notation (5.13e+00)
    range_separator: str = ""  # values are ranges "low<sep>high" (10-20, $5 - $9); each end in this format

    def regex(self) -> re.Pattern:
        """One number written in this format (one end of a range)."""
        return _compile(self.prefix, self.suffix, self.thousands, self.decimal_mark, bool(self.exponent))

    def parse(self, text: str) -> float | None:
        """The number (for a range: its low end, and only if low <= high)."""
        if self.range_separator:
            ends = self.parse_range(text)
            return None if ends is None else ends[0]
        match = self.regex().fullmatch(text)
        return None if match is None else _to_float(match, self.thousands, self.decimal_mark)

    def split(self, text: str) -> tuple[str, str] | None:
        """A range's two ends as written (the separator found after the first character: -5-10 is -5 to 10)."""
        at = text.find(self.range_separator, 1)
        return None if at < 0 else (text[:at], text[at + len(self.range_separator):])

    def parse_range(self, text: str) -> tuple[float, float] | None:
        ends = self.split(text)
        if ends is None:
            return None
        single = self.model_copy(update={"range_separator": ""})
        low, high = single.parse(ends[0]), single.parse(ends[1])
        return None if low is None or high is None or low > high else (low, high)

    @property
    def is_plain(self) -> bool:
        """Written as Python would read it: no affixes, separators, padding or forced sign."""
        return not (self.prefix or self.suffix or self.thousands or self.width or self.plus_sign
                    or self.range_separator) and self.decimal_mark == "."

    @property
    def is_integer(self) -> bool:
        return set(self.decimals) == {"0"} and not self.exponent

    def render(self, value: float, decimals: int) -> str:
        if self.exponent:
            body = f"{abs(value):.{decimals}{self.exponent}}"
        else:
            body = _group(f"{abs(value):.{decimals}f}", self.thousands, self.decimal_mark)
            if self.strip_zeros and self.decimal_mark in body:
                body = body.rstrip("0").rstrip(self.decimal_mark)
                body += f"{self.decimal_mark}0" if self.point_zero and self.decimal_mark not in body else ""
            if self.width:
                body = body.zfill(self.width)
        negative = value < 0 and any(ch not in "0.,e+E" for ch in body)
        sign = "-" if negative else ("+" if self.plus_sign else "")
        if self.sign_after_prefix:
            return self.prefix + sign + body + self.suffix
        return sign + self.prefix + body + self.suffix

    def describe(self) -> str:
        """A short human form, e.g. `$1,234.56`, `20,5%` or `10-20`."""
        decimals = max(int(d) for d in self.decimals)
        example = self.render(1234.0 if self.whole else 1234.5678 if not self.width else 42, decimals)
        return f"{example}{self.range_separator}{example}" if self.range_separator else example


def learn_format(values: list[str]) -> NumberFormat | None:
    """The format that reads at least MIN_SHARE of `values` (all non-empty), or None if they are not numbers."""
    if not values or sum(map(bool, map(_LOOSE.fullmatch, values[:50]))) < MIN_SHARE * min(50, len(values)):
        return None
    values = list(dict.fromkeys(values))[:SAMPLE]  # the format shows in any few thousand distinct values
    prefix, suffix = _common_affix(values, _AFFIX, front=True), _common_affix(values, _SUFFIX, front=False)
    exponent = _exponent(values)
    best = None
    for thousands, mark in _CONVENTIONS:
        pattern = _compile(prefix, suffix, thousands, mark, bool(exponent))
        matches = [m for m in map(pattern.fullmatch, values) if m]
        if len(matches) >= MIN_SHARE * len(values) and (best is None or len(matches) > len(best[2])):
            best = (thousands, mark, matches)
    if best is None:
        return None
    thousands, mark, matches = best
    if thousands and not any(thousands in m.group("int") for m in matches):
        thousands = ""  # 12.5 read with "," thousands: nothing showed a separator
    return _finish(NumberFormat(prefix=prefix, suffix=suffix, thousands=thousands, decimal_mark=mark,
                                exponent=exponent), matches)


def _finish(fmt: NumberFormat, matches: list[re.Match]) -> NumberFormat:
    fractions = [m.group("frac") or "" for m in matches]
    fmt.decimals = {str(k): v for k, v in Counter(len(f) for f in fractions).most_common()}
    # Shortest forms, as Python and pandas write floats: no fraction ends in 0 but a whole number's ".0"
    fmt.strip_zeros = len(fmt.decimals) > 1 and not any(f.endswith("0") and f != "0" for f in fractions)
    fmt.point_zero = fmt.strip_zeros and "0" in fractions
    fmt.whole = any(fractions) and all(not f.strip("0") for f in fractions)
    positives = [m for m in matches if m.group("sign") != "-" and m.group("sign2") != "-"]
    fmt.plus_sign = bool(positives) and all("+" in (m.group("sign") + m.group("sign2")) for m in positives)
    fmt.sign_after_prefix = any(m.group("sign2") for m in matches)
    ints = [m.group("int") for m in matches]
    lengths = {len(i) for i in ints}
    if not fmt.thousands and len(lengths) == 1 and any(len(i) > 1 and i.startswith("0") for i in ints):
        fmt.width = lengths.pop()
    return fmt


def read_numbers(fmt: NumberFormat, values: Iterable[str]) -> list[float]:
    """The numbers of the values that `fmt` reads (others are skipped)."""
    return parse_series(fmt, pd.Series(list(values), dtype=str)).dropna().tolist()


def parse_series(fmt: NumberFormat, values: pd.Series) -> pd.Series:
    """Every value's number (NaN where `fmt` does not read it), vectorised. Plain numbers go straight to
    pandas' C parser; formatted ones through one regex pass."""
    if fmt.range_separator:
        return values.astype(str).map(fmt.parse).astype(float)
    if fmt.is_plain:
        numbers = pd.to_numeric(values.astype(str).where(values.astype(str).str.len() > 0), errors="coerce")
        return numbers.astype(float)
    pattern = rf"\A(?:{fmt.regex().pattern})\Z"
    parts = values.astype(str).str.extract(pattern).fillna("")
    if parts.empty:
        return pd.Series(dtype=float, index=values.index)
    digits = parts["int"].str.replace(fmt.thousands, "", regex=False) if fmt.thousands else parts["int"]
    text = digits + parts["frac"].where(parts["frac"] == "", "." + parts["frac"]) + parts["exp"]
    numbers = pd.to_numeric(text.where(parts["int"] != ""), errors="coerce")
    negative = (parts["sign"] + parts["sign2"]).str.contains("-", regex=False)
    return numbers.where(~negative, -numbers)


@lru_cache(maxsize=256)
def _compile(prefix: str, suffix: str, thousands: str, mark: str, exponent: bool) -> re.Pattern:
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|" if thousands else ""
    number = rf"(?P<int>{grouped}\d+)(?:{re.escape(mark)}(?P<frac>\d+))?"
    power = r"(?P<exp>[eE][+-]?\d+)" if exponent else r"(?P<exp>)"
    return re.compile(rf"(?P<sign>[+-]?){re.escape(prefix)}(?P<sign2>[+-]?){number}{power}{re.escape(suffix)}")


def _to_float(match: re.Match, thousands: str, mark: str) -> float:
    digits = match.group("int").replace(thousands, "") if thousands else match.group("int")
    text = digits + ("." + match.group("frac") if match.group("frac") else "") + (match.group("exp") or "")
    negative = "-" in match.group("sign") + match.group("sign2")
    return -float(text) if negative else float(text)


def _group(plain: str, thousands: str, mark: str) -> str:
    whole, _, fraction = plain.partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", thousands)
    return whole + (mark + fraction if fraction else "")


def _common_affix(values: list[str], pattern: str, front: bool) -> str:
    """The prefix (or suffix) that most values share, if at least MIN_SHARE of them have it."""
    regex = re.compile(rf"^[+-]?({pattern})" if front else rf"({pattern})$")
    found = Counter(m.group(1) if m else "" for m in map(regex.search, values))
    affix, count = found.most_common(1)[0]
    return affix if affix and count >= MIN_SHARE * len(values) else ""


def _exponent(values: list[str]) -> str:
    marks = Counter(m.group(1) for m in map(re.compile(r"\d([eE])[+-]?\d").search, values) if m)
    if not marks or sum(marks.values()) < MIN_SHARE * len(values):
        return ""
    return marks.most_common(1)[0][0]
