"""Benchmark the main job: N rows from the real supplements data with the embedded model, fixed seed.

Prints the structure figures (validity, ids, catalogue keys, derived columns, rating TVD, text-length KS,
copies), the text figures (agreement of text and title with the rating, prompt fragments, cut texts, titles
contradicting the stars, each beside the real rows' own) and the speed figures (valid rows per minute,
tokens per accepted row, token efficiency, peak RSS; for the embedded model, where the decoding time went: steps
that decode prompt tokens against steps that only draw), then the original study's method on the same model.
`--knobs N` adds the knob table (knob_table.py): every knob at low and high against match on the same seed, and
match on two more seeds for the noise between seeds, N rows a cell.

    python benchmarks/bench_generate.py --num-samples 200 --prompt-types base,text_length
    python benchmarks/bench_generate.py --num-samples 0 --baseline-samples 0 --knobs 60
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from syngen.backends.omp import set_thread_wait  # noqa: E402 - light: no llama_cpp yet

set_thread_wait()  # before anything imports llama_cpp

import pandas as pd  # noqa: E402
from knob_table import MATCH_SEEDS, knob_table  # noqa: E402
from scipy.stats import ks_2samp  # noqa: E402
from text_figures import text_figures  # noqa: E402

from syngen.backends.local import LocalBackend  # noqa: E402
from syngen.evaluation.metrics.copies import OwnWordsShare  # noqa: E402
from syngen.generation.baseline import run_baseline  # noqa: E402
from syngen.generation.config import GenerationConfig  # noqa: E402
from syngen.generation.dedupe import copy_index  # noqa: E402
from syngen.generation.engine import run_generation  # noqa: E402
from syngen.generation.session import prepare_session  # noqa: E402
from syngen.profiling.conformance import row_problems  # noqa: E402

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tvd(real: pd.Series, synthetic: pd.Series) -> float:
    p, q = real.value_counts(normalize=True), synthetic.value_counts(normalize=True)
    return float(sum(abs(p.get(k, 0) - q.get(k, 0)) for k in set(p.index) | set(q.index)) / 2)


def check(frame: pd.DataFrame, session) -> dict[str, object]:
    real = session.table.frame
    words = lambda s: s.str.split().str.len()  # noqa: E731
    return {
        "valid rows": f"{sum(not row_problems(session.profile, r) for r in frame.to_dict('records'))}/{len(frame)}",
        "user ids unique": bool(frame["user_id"].is_unique),
        "user ids equal to a real one": len(set(frame["user_id"]) & set(real["user_id"])),
        "parent_asin in catalogue": bool(set(frame["parent_asin"]) <= set(session.catalogue.item_keys())),
        "date/time agree with timestamp": bool((frame["date"] == frame["timestamp"].str[:10]).all()
                                               and (frame["time"] == frame["timestamp"].str[11:16]).all()),
        "rating TVD": round(tvd(real["rating"], frame["rating"]), 4),
        "text words KS": round(float(ks_2samp(words(real["text"]), words(frame["text"])).statistic), 4),
        "text words median (real)": f"{words(frame['text']).median():.0f} ({words(real['text']).median():.0f})",
        "texts equal to a real text": equal_texts(frame["text"], real["text"]),
        "texts holding two words only one real text uses (real halves)": own_words_texts(frame["text"], real["text"]),
    }


def own_words_texts(texts: pd.Series, real: pd.Series) -> str:
    """The count, and the share of one real half's texts holding two words only one text of the other uses."""
    made = OwnWordsShare().compute_breakdown(real.tolist(), texts.tolist())
    half = real.sample(frac=1.0, random_state=0).tolist()
    chance = OwnWordsShare().compute(half[: len(half) // 2], half[len(half) // 2:])
    shown = "".join(f"; {e['words']}: {e['text'][:60]!r}" for e in made["examples"][:3])
    return f"{made['count']} ({chance:.1%})" + shown


def equal_texts(texts: pd.Series, real: pd.Series) -> str:
    """How many texts equal a real one, how many of those generation's own copy check calls no copy (a short text
    several real rows hold: "Great product." is written by many people), and the first few."""
    equal = texts[texts.isin(set(real))]
    index, _ = copy_index(real)
    common = [t for t in equal if index.check(t) is None]
    shown = "; ".join(repr(t) for t in equal.head(3))
    return f"{len(equal)} ({len(common)} no copy to SynGen: short texts several real rows hold)" + (
        f": {shown}" if shown else "")


def bench_syngen(prompt_type: str, n: int, seed: int, out_dir: Path, candidates: int = 1,
                 batch_size: int | None = None, weights: str | None = None,
                 few_shot: int | None = None, real_openings: bool = True) -> dict[str, object]:
    options = {**({"batch_size": batch_size} if batch_size else {}), **({"weights": weights} if weights else {})}
    config = GenerationConfig(data=str(DATA / "reviews_supplements.csv"), products=str(DATA / "product_asin.csv"),
                              prompt_type=prompt_type, num_samples=n, seed=seed, candidates=candidates,
                              real_openings=real_openings, backend_options=options,
                              **({"few_shot": few_shot} if few_shot is not None else {}),
                              out=str(out_dir / f"{prompt_type}_{n}_{candidates}_{batch_size}_{weights}.csv"))
    session = prepare_session(config)
    started = time.monotonic()
    result = run_generation(config, session=session)
    minutes = (time.monotonic() - started) / 60
    generation_rss = peak_rss_mb()  # before the text figures, which evaluate the rows in this process
    sidecar = result.sidecar
    figures = check(result.rows, session)
    figures.update(text_figures(session, result.rows))
    figures.update({
        "valid rows per minute": round(len(result.rows) / minutes, 1),
        "rows accepted (delivered)": f"{sidecar['rows_accepted']} ({len(result.rows)})",  # the rest: past quota
        "tokens per accepted row (in+out)": round((sidecar["tokens_in"] + sidecar["tokens_out"]) / len(result.rows), 1),
        "generated tokens per accepted row": round(sidecar["tokens_out"] / len(result.rows), 1),
        "token efficiency": sidecar["token_efficiency"],
        "rejections": {str(getattr(reason, "value", reason)): count for reason, count in sidecar["rejections"].items()},
        "peak RSS MB (generation; with the text figures)": f"{generation_rss:.0f}; {peak_rss_mb():.0f}",
    })
    if isinstance(session.backend, LocalBackend):
        figures.update(decode_split(session.backend, len(result.rows)))
    session.backend.close()
    return figures


def decode_split(backend: LocalBackend, rows: int) -> dict[str, str]:
    """Where the embedded model's time went: steps that decode prompt tokens against steps that only draw."""
    tally = backend.decode_tally()
    return {
        "decode: prompt tokens decoded (per row)": f"{tally.prompt_tokens} ({tally.prompt_tokens / max(1, rows):.0f})",
        "decode: steps with prompt tokens": f"{tally.prompt_steps} steps, {tally.prompt_seconds:.0f} s",
        "decode: steps that only draw": f"{tally.draw_steps} steps, {tally.draw_seconds:.0f} s "
                                        f"({1000 * tally.draw_seconds / max(1, tally.draw_steps):.0f} ms a step)",
        "decode: tokens drawn (a step)": f"{tally.drawn_tokens} "
                                         f"({tally.drawn_tokens / max(1, tally.prompt_steps + tally.draw_steps):.1f})",
    }


def bench_baseline(n: int, seed: int) -> dict[str, object]:
    config = GenerationConfig(data=str(DATA / "reviews_supplements.csv"), products=str(DATA / "product_asin.csv"),
                              num_samples=n, seed=seed)
    backend = LocalBackend({"n_ctx": 8192})
    session = prepare_session(config, backend=backend)
    result = run_baseline(backend, session.table, session.profile, n, seed=seed)
    return {
        "rows asked": n, "rows parsed": result.parsed, "valid rows": result.valid,
        "valid rows per minute": round(result.valid_per_minute, 1), "seconds": round(result.seconds, 1),
        "most common problems": dict(sorted(result.problems.items(), key=lambda kv: -kv[1])[:4]),
    }


def _print_speedup(speeds: dict[int | None, float]) -> None:
    """Rows per minute of each batch size against batch size 1, when both ran (issue 15's speed-up)."""
    if 1 in speeds and len(speeds) > 1:
        for batch, speed in speeds.items():
            if batch != 1:
                print(f"  speed-up of batch size {batch} over 1: {speed / speeds[1]:.2f}x", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--num-samples", type=int, default=200)
    parser.add_argument("--prompt-types", default="base,text_length")
    parser.add_argument("--baseline-samples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--candidates", default="1", help="comma-separated K values for best of K")
    parser.add_argument("--batch-sizes", default="", help="comma-separated local batch sizes, e.g. 8,1 (default: "
                        "the backend's)")
    parser.add_argument("--weights", default="", help="comma-separated embedded-model weights, e.g. q8_0,file "
                        "(default: the backend's)")
    parser.add_argument("--knobs", type=int, default=0, help="rows per cell of the knob table (0: no table)")
    parser.add_argument("--few-shot", type=int, default=None, help="real examples a prompt (default: the run's)")
    parser.add_argument("--no-real-openings", action="store_true", help="leave each text's first word to the model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for prompt_type in args.prompt_types.split(",") if args.num_samples else []:
            for k in (int(c) for c in args.candidates.split(",")):
                for weights in args.weights.split(",") if args.weights else [None]:
                    speeds = {}
                    for batch in [int(b) for b in args.batch_sizes.split(",")] if args.batch_sizes else [None]:
                        print(f"\n== SynGen, prompt type {prompt_type}, {args.num_samples} rows, seed {args.seed}, "
                              f"candidates {k}, batch size {batch or 'default'}, weights {weights or 'default'}, "
                              f"examples {args.few_shot if args.few_shot is not None else 'default'}, real openings "
                              f"{'off' if args.no_real_openings else 'on'}", flush=True)
                        figures = bench_syngen(prompt_type, args.num_samples, args.seed, Path(tmp), k, batch, weights,
                                               args.few_shot, not args.no_real_openings)
                        for key, value in figures.items():
                            print(f"  {key:40} {value}", flush=True)
                        speeds[batch] = figures["valid rows per minute"]
                    _print_speedup(speeds)
        if args.knobs:
            print(f"\n== Knobs: base prompt type, {args.knobs} rows a cell, seed {args.seed}; match also on seeds "
                  f"{args.seed + 1}..{args.seed + MATCH_SEEDS - 1} for the noise between seeds", flush=True)
            knob_table(DATA, args.knobs, args.seed, Path(tmp))
    if args.baseline_samples:
        print(f"\n== The study's method on the same model: one request for {args.baseline_samples} CSV rows")
        for key, value in bench_baseline(args.baseline_samples, args.seed).items():
            print(f"  {key:40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
