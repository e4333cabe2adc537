"""The output options of every command that prints rows: ``--format`` and ``-o/--output FILE``.

One definition, so that the same option means the same thing everywhere: the format follows
the file's extension unless ``--format`` says it, ``-o -`` is standard output, a file is
written atomically (CSV with a BOM for Excel and WPS), and never over a file the command reads.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sanshi_cli.errors import Msg, Problem, SanshiError, UsageError
from sanshi_cli.i18n import one_line

if TYPE_CHECKING:
    from rich.console import Console

# The extensions that name a format (compared ignoring case); any other means the text table.
EXTENSIONS: dict[str, str] = {
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".toml": "toml",
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
}
# The extension suggested for a file in each format.
SUFFIXES: dict[str, str] = {"table": ".txt", "csv": ".csv", "markdown": ".md", "json": ".json", "toml": ".toml",
                            "ics": ".ics", "html": ".html", "xlsx": ".xlsx"}  # fmt: skip
# Formats written as bytes, never to a terminal: ``render`` gets a binary stream, and ``-o FILE`` is required.
BINARY = frozenset({"xlsx"})


def format_option(formats: Sequence[str]) -> Any:
    """``--format`` for a command that writes ``formats`` (checked by :func:`choose_output`)."""
    return typer.Option(
        "--format",
        metavar="FORMAT",
        show_default=False,
        help=f"Output format: {', '.join(formats)}. Default: from the -o file's extension, else table.",
    )


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        show_default=False,
        help="Write to FILE (atomically) instead of standard output; - is standard output. "
        "Its extension (.csv .md .json .toml .ics .html .xlsx) picks the format unless --format is given.",
    ),
]


@dataclass(frozen=True, slots=True)
class Output:
    """Where a command's rows go and in which format; ``path`` None means standard output."""

    format: str
    path: Path | None = None


def choose_output(
    fmt: str | None, output: str | None, *, command: str, formats: Sequence[str], reads: Iterable[Path]
) -> Output:
    """Check ``--format`` and ``-o`` together; a contradiction is a usage error, found before any work.

    ``reads`` are the files the command reads: ``-o`` never names one of them.
    """
    listed = ", ".join(formats)
    chosen = fmt.strip().lower() if fmt is not None else None
    if chosen is not None and chosen not in formats:
        raise UsageError([Problem("bad_format", {"value": one_line(fmt or ""), "command": command, "formats": listed})])
    path = None if output is None or output == "-" else Path(output)
    if path is None or output is None:
        if chosen in BINARY and sys.stdout.isatty():
            raise UsageError([Problem("binary_needs_output", {"format": chosen, "command": command})])
        return Output(chosen or "table")
    output = one_line(output)
    for read in reads:
        if _same_file(path, read):
            raise UsageError([Problem("output_is_input", {"path": output, "input": str(read)})])
    extension = path.suffix.lower()
    implied = EXTENSIONS.get(extension)
    if chosen is not None and implied is not None and chosen != implied:
        want = path.with_suffix(SUFFIXES[chosen]).name
        params: dict[str, object] = {
            "format": chosen,
            "path": output,
            "ext": path.suffix,
            "implied": implied,
            "want": want,
        }
        raise UsageError([Problem("format_contradicts_output", params)])
    chosen = chosen or implied or "table"
    if chosen not in formats:
        params = {"command": command, "path": output, "ext": path.suffix, "formats": listed}
        raise UsageError([Problem("output_format_unsupported", params)])
    return Output(chosen, path)


def _same_file(one: Path, other: Path) -> bool:
    """Whether writing ``one`` would replace ``other``: the same path, a symbolic or a hard link."""
    with contextlib.suppress(OSError, ValueError):
        if os.path.samefile(one, other):
            return True
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):
        return os.path.abspath(one) == os.path.abspath(other)


def write_output(
    target: Output, render: Callable[..., object], console: Callable[[], Console | None], width: int | None
) -> None:
    """Call ``render(out=…, console=…, width=…)`` on standard output or into the file, atomically.

    ``console`` makes the run's console for a table on standard output, fitted to ``width``;
    a table in a file gets the wide layout, unwrapped. CSV in a file starts with a BOM, so
    that Excel and WPS read it as UTF-8.
    """
    binary = target.format in BINARY
    if target.path is None:
        if binary:  # a pipe (the terminal was refused by choose_output): the bytes, as `> file` would get them
            render(out=sys.stdout.buffer, console=None, width=None)
            sys.stdout.buffer.flush()
            return
        render(out=sys.stdout, console=console() if target.format == "table" else None, width=width)
        return
    from sanshi_cli.files import NotAFile, atomic_writer, cannot_write, existing_kind

    encoding = "utf-8-sig" if target.format == "csv" else "utf-8"
    try:
        if _is_stream(target.path):
            # /dev/null, /dev/stdout, a FIFO: written into as the shell's >> would, never replaced
            if binary:
                with open(target.path, "ab") as raw:
                    render(out=raw, console=None, width=None)
                return
            with open(target.path, "a", encoding="utf-8", newline="") as stream:  # a stream: no BOM
                render(out=stream, console=None, width=None)
            return
        kind = existing_kind(target.path)
        if kind is not None:  # a folder, a disk, a socket: never replaced
            raise NotAFile(kind)
        with atomic_writer(target.path, binary=binary, encoding=encoding, newline="") as handle:
            render(out=handle, console=None, width=None)
    except OSError as error:
        if isinstance(error, NotAFile):
            params: dict[str, object] = {"path": str(target.path), "what": Msg(f"what_{error.kind}")}
            raise SanshiError([Problem("not_a_file_target", params)]) from None
        raise cannot_write(target.path, error) from None


def _is_stream(path: Path) -> bool:
    """Whether ``-o`` names a FIFO, a character device or a descriptor (``/dev/stdout``, ``/dev/fd/3``).

    Those are written straight through: a temporary file renamed over them would replace the
    device node or the pipe (or, for a descriptor of a regular file, the file the shell opened).
    """
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return True
    try:
        resolved = os.path.realpath(path)
    except (OSError, ValueError):
        return False
    spelled = os.path.abspath(path)
    return any(p.startswith(("/dev/fd/", "/proc/")) or p in ("/dev/stdout", "/dev/stderr") for p in (resolved, spelled))
