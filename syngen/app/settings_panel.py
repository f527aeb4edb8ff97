"""Sidebar: backend (with its state on this machine), model, prompt type, knobs, rows, seed, temperature."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import streamlit as st

from syngen.app.backend_choice import KEY_OPTION, BackendInfo, backend_info, backend_names, backend_options
from syngen.generation.config import PROMPT_TYPES

MAX_ROWS = 100_000  # the page's ceiling; the CLI goes further
PROMPT_HELP = {
    "base": "base: rows like the real ones",
    "diversity": "diversity: a new angle, new examples and a wider spread of lengths every row",
    "lang_complexity": "lang_complexity: richer, more complex language",
    "text_length": "text_length: text lengths held closest to the real ones",
}
AUTO = "set by the prompt type"
KNOB_LEVELS = [AUTO, "low", "match", "high"]


@dataclass
class Settings:
    backend: BackendInfo
    prompt_type: str
    num_samples: int
    seed: int
    temperature: float
    knobs: dict[str, str | None]
    model_path: str | None = None
    model_name: str | None = None
    base_url: str | None = None
    backend_options: dict[str, Any] | None = None
    audit: bool = False  # keep each row's prompts and answers, shown for a selected row of the results

    @property
    def problem(self) -> str | None:
        """Why a run cannot start with these settings, or None."""
        if self.backend.ready:
            return None
        return f"The {self.backend.name} backend is not ready: {self.backend.state}. {self.backend.detail}".strip()


@st.cache_data(ttl=30, show_spinner="Checking which model backends can run here…")
def backend_states() -> list[BackendInfo]:
    """Cached briefly: a state check may probe a server, and the page reruns on every click."""
    return [backend_info(name) for name in backend_names()]


@st.cache_data(ttl=30, show_spinner=False)
def _state_with(name: str, model: tuple[tuple[str, str | None], ...]) -> BackendInfo:
    """The state for the model and server the user typed (an hf .gguf path may be ready where the default
    hub id is not). Never given a key, so no key is ever part of a cache entry."""
    return backend_info(name, dict(model))


def clear_states() -> None:
    backend_states.clear()
    _state_with.clear()


def render_settings() -> Settings:
    st.sidebar.header("Model and prompt")
    infos = {info.name: info for info in backend_states()}
    name = st.sidebar.selectbox("Model backend", list(infos), key="backend",
                                format_func=lambda n: infos[n].label)
    model = _model_fields(infos[name])
    info = _state_with(name, tuple(model.items())) if any(model.values()) else infos[name]
    info, key = _key_field(info, model)
    _show_state(info)
    if st.sidebar.button("Check backends again", key="refresh_backends", type="tertiary"):
        clear_states()
        st.rerun()
    return Settings(backend=info, backend_options=backend_options(info, key), **model, **_generation_fields())


def _key_field(info: BackendInfo, model: dict[str, str | None]) -> tuple[BackendInfo, str | None]:
    """Ask for a key when the environment has none; with one typed, the state is checked with it."""
    widget = f"api_key::{info.name}"
    if not info.accepts_key or not (info.key_missing or st.session_state.get(widget)):
        return info, None
    env = f" (or set {info.key_env_var} before starting the app)" if info.key_env_var else ""
    key = st.sidebar.text_input(
        "API key", type="password", key=widget, autocomplete="off",
        help=f"Kept only in this browser session's memory and passed to the backend for your runs{env}. "
             "It is never saved, logged or shown.",
    ).strip() or None
    return (_checked_with_key(info.name, model, key) if key else info), key


def _checked_with_key(name: str, model: dict[str, str | None], key: str) -> BackendInfo:
    """The state with the typed key, probed once per key: remembered by a hash, never by the key."""
    token = hashlib.sha256(f"{name}\0{sorted(model.items())}\0{key}".encode()).hexdigest()
    memo = st.session_state.setdefault("_key_checks", {})
    if token not in memo:
        memo[token] = backend_info(name, {**model, KEY_OPTION: key})
    return memo[token]


def _show_state(info: BackendInfo) -> None:
    if info.ready:
        st.sidebar.caption(f":green[● ready] {info.description or info.detail}", help=info.detail or None)
    else:
        st.sidebar.warning(f"{info.state}: {info.detail}".rstrip(": "), icon=":material/warning:")


def _model_fields(info: BackendInfo) -> dict[str, str | None]:
    fields: dict[str, str | None] = {}
    if info.name == "local" or "model_path" in info.fields:
        fields["model_path"] = st.sidebar.text_input(
            "GGUF model file", key="model_path", placeholder="embedded SmolLM2-135M-Instruct",
            help="Path of a .gguf file on this machine; empty for the embedded model.").strip() or None
    if "model_name" in info.fields and info.name != "local":
        fields["model_name"] = st.sidebar.text_input(
            "Model", value=info.default_model or "", key=f"model_name::{info.name}").strip() or None
    if "base_url" in info.fields:
        fields["base_url"] = st.sidebar.text_input(
            "Server URL", key=f"base_url::{info.name}", placeholder="the backend's default").strip() or None
    return fields


def _generation_fields() -> dict[str, Any]:
    sidebar = st.sidebar
    prompt_type = sidebar.selectbox("Prompt type", PROMPT_TYPES, key="prompt_type", format_func=PROMPT_HELP.get)
    knobs = {knob: sidebar.selectbox(f"{knob.capitalize()} of the text", KNOB_LEVELS, key=f"knob_{knob}")
             for knob in ("complexity", "diversity", "length")}
    knobs = {knob: None if level == AUTO else level for knob, level in knobs.items()}
    num_samples = sidebar.number_input("Rows to generate", min_value=1, max_value=MAX_ROWS, value=5, step=1,
                                       key="num_samples")
    seed = sidebar.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="seed",
                                help="Same seed, model and data: same rows.")
    temperature = sidebar.slider("Temperature", 0.0, 2.0, 0.8, 0.05, key="temperature")
    audit = sidebar.toggle("Keep prompts and answers", key="audit",
                           help="Keep each row's prompt and every answer the model gave (with why a rejected one "
                                "failed), to see them for a selected row of the results.")
    return dict(prompt_type=prompt_type, knobs=knobs, num_samples=int(num_samples), seed=int(seed),
                temperature=float(temperature), audit=bool(audit))
