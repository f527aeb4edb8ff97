"""Entry point of the `syngen` command: a click group whose subcommands load lazily.

This is the one place where SynGenError becomes a one-line message and a non-zero exit.
"""

from __future__ import annotations

import sys
from importlib import import_module

import click

from syngen.errors import SynGenError
from syngen.redact import mask_urls

# name -> "module:attribute" of a click.Command; imported only when that subcommand runs.
COMMANDS = {
    "generate": "syngen.cli.generate:generate",
    "models": "syngen.cli.models:models",
    "evaluate": "syngen.cli.evaluate:evaluate",
    "experiment": "syngen.cli.experiment:experiment",
    "profile": "syngen.cli.profile:profile",
    "app": "syngen.cli.app:app",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("syngen.cli"):
                return _not_yet(name)
            raise
        return getattr(module, attribute)


def _not_yet(name: str) -> click.Command:
    @click.command(name=name, help="Not available in this version.")
    def placeholder() -> None:
        raise SynGenError(f"'syngen {name}' is not available in this version of SynGen")

    return placeholder


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="syngen")
def cli() -> None:
    """SynGen: generate synthetic rows like a real table, and measure how good they are."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; SynGen errors become one line on stderr and exit code 2."""
    try:
        code = cli.main(args=argv, prog_name="syngen", standalone_mode=False)
    except SynGenError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("error: interrupted.", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"error: {mask_urls(exc.format_message())}", err=True)
        return exc.exit_code or 2
    except KeyboardInterrupt:
        click.echo("error: interrupted.", err=True)
        return 130
    return code if isinstance(code, int) else 0  # a command's ctx.exit(N), e.g. 130 for a cancelled run


if __name__ == "__main__":
    sys.exit(main())
