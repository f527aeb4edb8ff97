"""Derived columns (DataDesigner's expression columns): a column computed from the other columns of each
generated row by a Jinja2 template, `--derive summary='{{ title }} ({{ rating }} stars)'` or, in a run file,
`columns: {summary: {derived: "..."}}`.

A derived column is new (written after the real columns, in the order given) or replaces a real column (the
model and the samplers then never make it, and its profile is set aside). A template sees the row's columns
by name, every value a string, and `row` (row['a column with spaces']); a derived column also sees the
derived columns before it. Templates run in Jinja2's sandbox: a run file may come from someone else.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from syngen.errors import ConfigError

if TYPE_CHECKING:
    from jinja2 import Template

    from syngen.profiling.model import ColumnFrames, DatasetProfile

HINT = "Write it as e.g. --derive summary='{{ title }} ({{ rating }} stars)'"
# What a template can get wrong on a row: Jinja2's own errors, and Python's from filters and operators.
RENDER_ERRORS = (ArithmeticError, AttributeError, LookupError, TypeError, ValueError)


@dataclass
class Derivations:
    """The compiled templates of a run, in the order they are computed."""

    templates: dict[str, Template] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # column -> its template as given (for the sidecar)
    replaced: frozenset[str] = frozenset()  # real columns a template makes instead of the model
    real: list[str] = field(default_factory=list)  # the real table's columns, in order
    framed: dict[str, ColumnFrames] = field(default_factory=dict)  # real columns filled from a real row's frame
    seed: int = 0  # which frame a row takes

    def apply(self, row: Mapping[str, str], which: str = "a generated row") -> dict[str, str]:
        """The row with its derived columns filled in; a template that fails is a one-line ConfigError."""
        from jinja2 import TemplateError

        out = dict(row)
        for name, frames in self.framed.items():
            out[name] = fill_frame(frames, out, self.seed)
        for name, template in self.templates.items():
            try:
                out[name] = template.render({"row": out, **out})
            except (TemplateError, *RENDER_ERRORS) as exc:
                raise ConfigError(f"derived column '{name}' fails on {which}: {exc}",
                                  "Fix its template (values are text: convert with |int or |float)") from None
        return out

    def columns(self, made: Iterable[str]) -> list[str]:
        """The output's columns: the real ones in their order (a replaced one where it was), then new ones.
        `made`: the columns the generator makes (the profile's), the output's columns without derived ones."""
        if not self.templates and not self.framed:
            return list(made)
        return [*self.real, *(name for name in self.templates if name not in self.real)]


def fill_frame(frames: ColumnFrames, row: Mapping[str, str], seed: int) -> str:
    """A real row's frame filled with `row`'s values: one of the frames whose row had the same sources filled,
    else one whose slots the row fills, chosen by the row itself (the same row always gets the same frame)."""
    present = [s for s in frames.sources if str(row.get(s, "")).strip()]
    usable = ([f for f in frames.frames if f.present == present]
              or [f for f in frames.frames if set(f.slots) <= set(present)] or frames.frames)
    key = json.dumps([seed, sorted(row.items())], default=str).encode()
    chosen = usable[int.from_bytes(hashlib.sha256(key).digest()[:8], "big") % len(usable)]
    text = chosen.fill({s: str(row.get(s, "")) for s in chosen.slots})
    return text if set(chosen.slots) <= set(present) else " ".join(text.split())  # an empty slot leaves no gap


def parse_derive(pairs: Iterable[str]) -> dict[str, str]:
    """NAME=TEMPLATE pairs (the first = splits: a template may hold one, as in <=) -> column -> template."""
    derive: dict[str, str] = {}
    for pair in pairs:
        name, sep, template = pair.partition("=")
        if not sep or not name.strip() or not template.strip():
            raise ConfigError(f"--derive {pair!r} is not NAME=TEMPLATE", HINT)
        derive[name.strip()] = template
    return derive


def check_derive(derive: Mapping[str, str], settings: Mapping[str, Mapping[str, Any] | list[str]]) -> None:
    """What can be checked without the data: a template given, and no other setting on a derived column
    (a kind or a condition would be ignored, since no sampler makes it)."""
    for name, template in derive.items():
        if not name or not str(template).strip():
            raise ConfigError(f"derived column '{name}' has an empty template", HINT)
        for option, given in settings.items():
            if name in given:
                raise ConfigError(f"column '{name}' is derived and also has {option}",
                                  f"A derived column is computed from its template: drop its {option}")


def compile_derivations(derive: Mapping[str, str], profile: DatasetProfile, real_row: Mapping[str, str],
                        framed: Mapping[str, ColumnFrames] | None = None, seed: int = 0) -> Derivations:
    """Compile the templates, check every name they use against the columns made before them, and render
    them once on `real_row` (a row of the real data), so a broken template stops the run before it starts.
    `framed`: columns filled from real rows' frames (profiling/framed.py), made before the templates."""
    framed = {name: frames for name, frames in (framed or {}).items() if name not in derive}
    if not derive and not framed:
        return Derivations()
    from jinja2 import StrictUndefined, TemplateSyntaxError, meta
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    replaced = frozenset([*derive, *framed]) & set(profile.names)
    known = [name for name in profile.names if name not in replaced or name in framed]
    templates: dict[str, Template] = {}
    for name, text in derive.items():
        try:
            used = meta.find_undeclared_variables(env.parse(text)) - set(env.globals) - {"row"}
        except TemplateSyntaxError as exc:
            raise ConfigError(f"derived column '{name}': {exc.message} (line {exc.lineno} of its template)",
                              HINT) from None
        unknown = sorted(used - set(known) - set(templates))
        if unknown:
            raise ConfigError(f"derived column '{name}' uses '{unknown[0]}', which is not a generated column",
                              f"Use one of: {', '.join([*known, *templates]) or 'none'}")
        templates[name] = env.from_string(text)
    written = {**{name: f"a real row's frame filled with its own values, e.g. {frames.frames[0].shown()}"
                  for name, frames in framed.items()}, **derive}
    derivations = Derivations(templates, written, replaced, profile.names, dict(framed), seed)
    derivations.apply({name: str(real_row.get(name, "")) for name in known if name not in framed},
                      "the data's first row")
    return derivations


def set_aside(profile: DatasetProfile, replaced: frozenset[str]) -> DatasetProfile:
    """The profile without the real columns that derived ones replace, nor the dependencies, emptiness rules
    and date orders that tie a column to them: the samplers and the model then never make them."""
    if not replaced:
        return profile
    from syngen.profiling.model import ColumnKind

    for column in profile.of_kind(ColumnKind.DERIVED):
        source = getattr(column.stats, "source", None)
        if source in replaced and column.name not in replaced:
            raise ConfigError(f"column '{column.name}' is computed from '{source}' in the data, which is derived",
                              f"Derive '{column.name}' too, or leave '{source}' to the generator")
    kept = [c for c in profile.columns if c.name not in replaced]
    if profile.text_columns and not any(c.kind is ColumnKind.TEXT for c in kept):
        raise ConfigError("every text column is derived, so the model has nothing to write",
                          "Leave at least one text column to the model")
    return profile.model_copy(update={
        "columns": kept,
        "dependencies": [d for d in profile.dependencies if not {d.child, d.parent} & replaced],
        "emptiness": [r for r in profile.emptiness if not {r.column, r.parent} & replaced],
        "orders": [o for o in profile.orders if not {o.first, o.then} & replaced]})
