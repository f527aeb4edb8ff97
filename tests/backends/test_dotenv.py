"""API keys come from, in order: the explicit option, the environment, a .env file in the working folder,
and the .env file is read the way python-dotenv (and every tool that shares the file) reads it."""

from __future__ import annotations

import pytest

from syngen.backends.base import lookup_key

VAR = "SYNGEN_TEST_KEY"


def read(tmp_path, text: str) -> str | None:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return lookup_key(None, VAR, str(path))


@pytest.mark.parametrize(("text", "expected"), [
    (f"{VAR}=abc123\n", "abc123"),
    (f"{VAR}=abc123 # the test account\n", "abc123"),
    (f'{VAR}="abc 123" # quoted, with a comment\n', "abc 123"),
    (f"{VAR}='abc#123' # a hash inside quotes is part of the key\n", "abc#123"),
    (f"export {VAR}=abc123\n", "abc123"),
    (f'OTHER=1\n{VAR}="line one\nline two"\nLAST=2\n', "line one\nline two"),
    (f"# {VAR}=commented-out\n{VAR}=real\n", "real"),
    (f"{VAR}=\n", None),
    ("OTHER=1\n", None),
    (f"{VAR}=${{HOME}}x\n", "${HOME}x"),  # a key is a literal
])
def test_dotenv_lines(tmp_path, monkeypatch, text, expected):
    monkeypatch.delenv(VAR, raising=False)
    assert read(tmp_path, text) == expected


def test_the_explicit_value_then_the_environment_then_the_file(tmp_path, monkeypatch):
    path = tmp_path / ".env"
    path.write_text(f"{VAR}=from-file\n", encoding="utf-8")
    monkeypatch.setenv(VAR, "from-environment")
    assert lookup_key("explicit", VAR, str(path)) == "explicit"
    assert lookup_key(None, VAR, str(path)) == "from-environment"
    monkeypatch.delenv(VAR)
    assert lookup_key(None, VAR, str(path)) == "from-file"


def test_no_file_or_a_folder_named_dotenv_gives_no_key(tmp_path, monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert lookup_key(None, VAR, str(tmp_path / "absent.env")) is None
    (tmp_path / "folder.env").mkdir()
    assert lookup_key(None, VAR, str(tmp_path / "folder.env")) is None
