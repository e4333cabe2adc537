"""``sanshi init``: write a first project file, a commented starter or the full sample."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated

import typer

from sanshi_cli.cli.common import LangOption, Run
from sanshi_cli.errors import ExitCode, SanshiError

DEFAULT_NAME = "projects.toml"


def init(
    path: Annotated[
        str | None,
        typer.Argument(
            help="Where to write it (a folder gets projects.toml inside). Default: ./projects.toml.",
            show_default=False,
        ),
    ] = None,
    example: Annotated[
        bool,
        typer.Option("--example", help="Write the full bundled sample instead of the starter."),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write a commented starter project file; never replaces an existing file.

    The starter has every section of the file, example units and people to replace, and one
    example project; its comments are in the language of --lang (default: Chinese).

    Example: sanshi init && sanshi check
    """
    from sanshi_cli.i18n import count, label

    with Run(None, lang) as run:
        target = Path(path) if path else Path(DEFAULT_NAME)
        if target.is_dir():
            target = target / DEFAULT_NAME
        shown = str(target)
        name = "example.toml" if example else f"starter.{run.lang}.toml"
        data = _template(name)
        if os.path.lexists(target):
            raise SanshiError.single("init_exists", path=shown)
        _write(target, data, shown)
        if example:
            projects = len(re.findall(rb"(?m)^\[\[projects\]\]", data))
            typer.echo(
                label("init_written_example", run.lang, path=shown, projects=count("n_projects", projects, run.lang))
            )
            typer.echo(label("init_next_example", run.lang, status=_command("status", target)))
        else:
            typer.echo(label("init_written_starter", run.lang, path=shown))
            next_step = label(
                "init_next_starter", run.lang, check=_command("check", target), status=_command("status", target)
            )
            typer.echo(next_step)
        run.finish(ExitCode.OK)


def _template(name: str) -> bytes:
    """A file shipped in the package's ``templates`` folder (so a wheel install has it too)."""
    from importlib.resources import files

    return files("sanshi_cli").joinpath("templates").joinpath(name).read_bytes()


def _write(target: Path, data: bytes, shown: str) -> None:
    from sanshi_cli.files import os_reason, write_new

    try:
        write_new(target, data)
    except FileExistsError:
        raise SanshiError.single("init_exists", path=shown) from None
    except FileNotFoundError:
        raise SanshiError.single("init_no_folder", path=shown) from None
    except OSError as error:
        raise SanshiError.single("init_unwritable", path=shown, reason=os_reason(error)) from None


def _command(name: str, target: Path) -> str:
    """``sanshi NAME``, with ``-f PATH`` unless the command would find the new file by itself."""
    import shlex

    from sanshi_cli.files import find_project_file

    try:
        found: Path | None = find_project_file(None, os.environ, Path.cwd())
    except SanshiError:
        found = None
    if found is not None and found.resolve() == target.resolve():
        return f"sanshi {name}"
    return f"sanshi {name} -f {shlex.quote(str(target))}"


def register(app: typer.Typer) -> None:
    app.command()(init)
