"""Write the small test tables of this folder (run it to remake them: `python tests/tables/make_tables.py`).

Every value is made up here: names from invented syllables, places from an invented list, so no table holds a
real person's name or handle. Each table has one sentence column, the one a model would write.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
SYLLABLES = ["ka", "lo", "mi", "ren", "tos", "va", "shi", "dor", "ple", "quin", "zu", "bel", "mar", "tin", "o"]
PLACES = ["Norvale", "East Brinton", "Port Kessa", "Lake Amory", "Dunmere, KS", "Old Sarrow", "Velton Bay",
          "Crestholm", "Ashford Hills", "Marlow Springs"]
WORDS = ["the", "flight", "was", "late", "and", "the", "crew", "was", "kind", "but", "the", "seat", "was", "broken",
         "again", "today", "so", "we", "waited"]
SENTIMENTS = ["negative", "neutral", "positive"]
REASONS = ["Late Flight", "Customer Service Issue", "Lost Luggage", "Cancelled Flight", "Bad Flight"]


def sentence(rng: np.random.Generator) -> str:
    return " ".join(rng.choice(WORDS, int(rng.integers(6, 16)))).capitalize() + "."


def name(rng: np.random.Generator) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES, int(rng.integers(2, 4)))).capitalize()
    return f"{word()} {word()}"


def handle(rng: np.random.Generator) -> str:
    base = "".join(rng.choice(SYLLABLES, int(rng.integers(2, 4))))
    return "@" + base + (str(int(rng.integers(1, 999))) if rng.uniform() < 0.4 else "")


def maybe(rng: np.random.Generator, share_empty: float, value: str) -> str:
    return "" if rng.uniform() < share_empty else value


def write(name_: str, header: list[str], rows: list[list[str]], delimiter: str = ",") -> None:
    with (HERE / name_).open("w", newline="", encoding="utf-8") as handle_:
        writer = csv.writer(handle_, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def sparse_category(rng) -> None:
    rows = [[sentence(rng), "X-5" if i == 500 else "", maybe(rng, 0.97, str(rng.choice(REASONS))),
             maybe(rng, 0.275, str(rng.choice(["True", "False"])))] for i in range(1000)]
    write("sparse_category.csv", ["text", "flag", "sparse_reason", "verified"], rows)


def four_decimals(rng) -> None:
    def conf() -> str:
        value = round(float(rng.beta(5, 2)), int(rng.choice([2, 3, 4])))
        return "1" if value >= 1 else f"{value:.4f}".rstrip("0").rstrip(".")
    rows = [[sentence(rng), conf(), f"{rng.normal(50, 10):.4f}"] for _ in range(400)]
    write("four_decimals.csv", ["text", "confidence", "score"], rows)


def timestamps(rng) -> None:
    start = datetime(2015, 2, 16, tzinfo=timezone(timedelta(hours=-8)))
    rows = []
    for _ in range(400):
        moment = start + timedelta(seconds=int(rng.integers(0, 9 * 86400)))
        day = datetime(2010, 1, 1) + timedelta(days=int(rng.integers(0, 3000)))
        rows.append([sentence(rng), moment.strftime("%Y-%m-%d %H:%M:%S %z"),
                     moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                     f"{min(day.day, 28):02d}/{day.month:02d}/{day.year}", str(int(moment.timestamp())),
                     moment.strftime("%Y-%m-%d %H:%M:00"), day.strftime("%d %B %Y")])
    write("timestamps.csv", ["text", "created", "created_utc", "day_first", "created_epoch", "minute", "named"], rows)


def coordinates(rng) -> None:
    def point() -> str:
        return f"[{rng.uniform(40.5, 40.9):.8f}, {rng.uniform(-74.2, -73.7):.8f}]"
    rows = [[sentence(rng), maybe(rng, 0.93, point()), f"v{rng.integers(1, 4)}.{rng.integers(0, 12)}"
             f".{rng.integers(0, 30)}", f"https://example.org/item/{rng.integers(10000, 99999)}"] for _ in range(600)]
    write("coordinates.csv", ["text", "tweet_coord", "version", "url"], rows)


def handles(rng) -> None:
    rows = [[sentence(rng), handle(rng), name(rng), maybe(rng, 0.32, str(rng.choice(PLACES)) if rng.uniform() < 0.5
             else name(rng).split()[0] + " City")] for _ in range(500)]
    write("handles.csv", ["text", "handle", "full_name", "location"], rows)


def dependent_empty(rng) -> None:
    rows = []
    for _ in range(600):
        sentiment = str(rng.choice(SENTIMENTS, p=[0.6, 0.2, 0.2]))
        negative = sentiment == "negative"
        rows.append([sentiment, str(rng.choice(REASONS)) if negative else "",
                     sentence(rng) if negative else "", sentence(rng)])
    write("dependent_empty.csv", ["sentiment", "negativereason", "reason_text", "text"], rows)


def money(rng) -> None:
    rows = [[sentence(rng), f"${rng.uniform(10, 90000):,.2f}", f"{int(rng.integers(1000, 9_999_999)):,}",
             f"{int(rng.integers(0, 101))}%", f"{rng.uniform(1, 99):.2f}".replace(".", ","),
             f"{rng.uniform(0.1, 9.9):.2e}", f"{int(rng.integers(501, 99950)):05d}",
             f"000{int(rng.integers(100000, 999999))}", f"{rng.normal(0, 3):+.1f}"] for _ in range(300)]
    write("money.csv", ["text", "price", "population", "share", "euro", "scientific", "zip", "account", "delta"],
          rows)


def ranges(rng) -> None:
    def salary() -> str:
        low = int(rng.integers(30, 150)) * 1000
        return f"${low:,} - ${low + int(rng.integers(5, 40)) * 1000:,}"
    def span() -> str:
        low = int(rng.integers(1, 90))
        return f"{low}-{low + int(rng.integers(1, 60))}"
    rows = [[sentence(rng), salary(), span(), f"555-{int(rng.integers(1000, 9999))}"] for _ in range(300)]
    write("ranges.csv", ["text", "salary", "span", "phone"], rows)


def semicolons() -> None:
    rows = [["1", "fine; really fine", "4,5"], ["2", "no", "3,0"], ["3", "well; ok; sure", "2,5"]]
    write("semicolon_quoted.csv", ["id", "text", "grade"], rows, delimiter=";")


def mixed(rng) -> None:
    """15 columns of every kind, 800 rows: the table the README's per-column figures are measured on."""
    header = ["tweet_id", "sentiment", "confidence", "negativereason", "reason_conf", "airline", "retweets",
              "created", "tweet_coord", "user", "location", "fare", "day", "user_timezone", "text"]
    start = datetime(2015, 2, 16, tzinfo=timezone(timedelta(hours=-8)))
    rows = []
    for _ in range(800):
        sentiment = str(rng.choice(SENTIMENTS, p=[0.6, 0.2, 0.2]))
        negative = sentiment == "negative"
        moment = start + timedelta(seconds=int(rng.integers(0, 9 * 86400)))
        rows.append([
            str(567_000_000_000_000_000 + int(rng.integers(0, 10**15))), sentiment,
            f"{round(float(rng.beta(5, 2)), 4):.4f}".rstrip("0").rstrip("."),
            str(rng.choice(REASONS)) if negative else "",
            f"{round(float(rng.uniform(0.3, 1)), 4):.4f}".rstrip("0").rstrip(".") if negative else "",
            str(rng.choice(["Skyway", "NorthJet", "Bluewing", "Coastal"])), str(int(rng.poisson(0.3))),
            moment.strftime("%Y-%m-%d %H:%M:%S %z"),
            maybe(rng, 0.93, f"[{rng.uniform(40.5, 40.9):.8f}, {rng.uniform(-74.2, -73.7):.8f}]"),
            handle(rng).lstrip("@"), maybe(rng, 0.32, str(rng.choice(PLACES))), f"${rng.uniform(49, 900):,.2f}",
            f"{min(moment.day, 28):02d}/{moment.month:02d}/{moment.year}",
            maybe(rng, 0.33, str(rng.choice(["Eastern Time (US & Canada)", "Pacific Time (US & Canada)",
                                             "Central Time (US & Canada)", "London"]))),
            "@" + str(rng.choice(["Skyway", "NorthJet", "Bluewing", "Coastal"])) + " " + sentence(rng),
        ])
    write("mixed15.csv", header, rows)


def main() -> None:
    rng = np.random.default_rng(12)
    for make in (sparse_category, four_decimals, timestamps, coordinates, handles, dependent_empty, money, mixed):
        make(rng)
    ranges(np.random.default_rng(13))
    semicolons()


if __name__ == "__main__":
    main()
