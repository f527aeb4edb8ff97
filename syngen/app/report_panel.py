"""Main area: the quality report of the last run (scorecard, charts, flagged rows), from syngen.evaluation."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from syngen.app import state
from syngen.app.jobs import GenerationJob
from syngen.app.quality import QualityJob
from syngen.app.report_charts import PROPERTY_HELP, PYPLOT_LOCK, Chart, flagged
from syngen.app.state import ReportPhase
from syngen.evaluation.scorecard import consistency_findings, detection_findings

if TYPE_CHECKING:
    from syngen.evaluation.report import Report

POLL_SECONDS = 1.0
FLAGGED = "Flagged rows"


def render_report(job: GenerationJob | None) -> None:
    if job is None or job.running or job.rows is None or job.rows.empty:
        return
    st.subheader("Quality")
    embeddings = st.toggle("Sentence-embedding metrics (far texts, nearest-real similarity, semantic diversity)",
                           value=True, key="quality_embeddings",
                           help="The first report on a dataset embeds every real text (a minute for a few "
                                "thousand rows on a small CPU); later ones reuse the cache.")
    quality = _quality_for(job, embeddings)
    phase = quality.phase
    st.session_state[state.QUALITY_SHOWN] = (quality, phase)  # what this whole-page run draws
    if quality.error:
        st.error(quality.error, icon=":material/error:")
    elif quality.report is not None:
        _scorecard(quality.report)
        _findings(quality.report)
    st.fragment(run_every=POLL_SECONDS if quality.running else None)(_waiting)(quality)
    if phase is ReportPhase.DONE and quality.report is not None:
        _details(quality)


def _quality_for(job: GenerationJob, embeddings: bool) -> QualityJob:
    """One report per run and setting, started the first time the finished run is drawn."""
    reports: dict = st.session_state.setdefault(state.QUALITY, {})
    if any(report.job is not job for report in reports.values()):
        reports.clear()  # only the latest run's reports are kept: each holds embeddings of every text
    if embeddings not in reports:
        reports[embeddings] = QualityJob(job, embeddings).start()
    return reports[embeddings]


def _waiting(quality: QualityJob) -> None:
    """While the report is made: a note, checked every second. When the scorecard or the charts become
    ready, the whole page is drawn again; its fragment then has no timer, so the checks stop."""
    phase = quality.phase
    if st.session_state.get(state.QUALITY_SHOWN) != (quality, phase):
        st.rerun()
    seconds = time.monotonic() - quality.started
    if phase is ReportPhase.MEASURING:
        st.progress(0.0, text=f"Measuring the rows against the real data… {seconds:.0f} s (the first time, "
                              "every real text is embedded; later reports reuse them)")
    elif phase is ReportPhase.DRAWING:
        st.progress(0.5, text=f"Drawing the charts… {seconds:.0f} s")


def _details(quality: QualityJob) -> None:
    """Charts and flagged rows in tabs, then the report's files."""
    report = quality.report
    tables = {title: frame for title, frame in flagged(report).items() if not frame.empty}
    titles = list(quality.charts) + ([FLAGGED] if tables else [])
    for tab, title in zip(st.tabs(titles) if titles else [], titles, strict=True):
        with tab:
            if title == FLAGGED:
                _tables(tables)
            else:
                _charts(quality.charts[title])
    _report_downloads(quality)


def _scorecard(report: Report) -> None:
    asked = report.synthetic.expected_rows
    st.caption(f"{report.rows:,} rows{f' of {asked:,} asked' if asked else ''} · {report.valid_rows:,} valid · "
               f"{report.synthetic.unusable:,} unusable · measured in {report.seconds:.1f} s · each score is 0-1, "
               "1 = indistinguishable from the real data; the delta compares with one half of the real data "
               "scored against the other (a perfect generator).")
    items = [("overall", report.score, None, "mean of the property scores")]
    items += [(name, prop.score, prop.reference, PROPERTY_HELP.get(name, "")) for name, prop in
              report.properties.items()]
    cells = st.columns(4)
    for index, (name, score, reference, meaning) in enumerate(items):
        delta = None if score is None or reference is None else f"{score - reference:+.2f} vs real"
        cells[index % 4].metric(name, "n/a" if score is None else f"{score:.2f}", delta=delta,
                                help=meaning, border=True)


def _findings(report: Report) -> None:
    privacy = report.properties.get("privacy")
    drift = report.properties.get("drift")
    lines = []
    if privacy is not None:
        d = privacy.details
        few_shot = d.get("few_shot_exact_copies")
        shown = "" if few_shot is None else (f" ({few_shot} exact and {d.get('few_shot_near_copies', 0)} near "
                                             "of the few-shot rows the model was shown)")
        lines.append(f"**Privacy:** {d.get('exact_copies', 0)} exact and {d.get('near_copies', 0)} near copies "
                     f"of real texts{shown}, {d.get('own_words_texts', 0)} texts holding two words only one real "
                     f"text uses, {d.get('copied_ids', 0)} real ids reused.")
    if drift is not None and drift.score is not None:
        lines += [f"**Drift:** {line.removeprefix('drift: ')}." for line in detection_findings(drift)]
        if "far_texts_count" in drift.details:
            measured = drift.details.get("texts_measured", {}).get("synthetic", report.rows)
            lines.append(f"**Drift:** {drift.details['far_texts_count']} of {measured:,} texts measured are far "
                         f"from the real data or off the topic '{drift.details.get('topic', '')}'.")
    consistency = report.properties.get("consistency")
    if consistency is not None:
        found = consistency_findings(consistency)
        lines += [f"**Consistency:** {line.removeprefix('consistency: ')}." for line in found]
    if lines:
        st.markdown("  \n".join(lines))


def _charts(charts: list[Chart]) -> None:
    cells = st.columns(2)
    for index, chart in enumerate(charts):
        cells[index % 2].image(chart.png, caption=chart.title, width="stretch")


def _tables(tables: dict[str, pd.DataFrame]) -> None:
    for title, frame in tables.items():
        st.markdown(f"**{title}** ({len(frame)})")
        st.dataframe(frame, hide_index=True)


def _report_downloads(quality: QualityJob) -> None:
    report = quality.report
    stem = Path(quality.job.inputs.config.data).stem + "_quality_report"
    left, right = st.columns(2)

    def html() -> bytes:
        from syngen.evaluation.html_report import render

        with PYPLOT_LOCK:  # the HTML report draws its own plots
            return render(report).encode("utf-8")

    left.download_button("Report (HTML)", data=html, file_name=f"{stem}.html", mime="text/html",
                         key="download_report_html", on_click="ignore", icon=":material/download:")
    right.download_button("Report (JSON)", data=lambda: json.dumps(report.to_dict(), indent=2).encode("utf-8"),
                          file_name=f"{stem}.json", mime="application/json",
                          key="download_report_json", on_click="ignore", icon=":material/download:")
