"""``sanshi import``: an existing ledger (台账) in Excel becomes a starter project file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from sanshi_cli.cli.common import LangOption, Run
from sanshi_cli.errors import ExitCode, FileProblems, Problem, SanshiError
from sanshi_cli.i18n import Lang, count, label, one_line

if TYPE_CHECKING:
    from sanshi_cli.ledger import Imported, LedgerMap

DEFAULT_NAME = "projects.toml"
LIMIT = 64 * 1024 * 1024  # a ledger larger than this is not a ledger
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="A date typed without a year (11-20, 12月底) is put in the year nearest this day. Default: today.",
        show_default=False,
    ),
]


def import_ledger(
    ledger: Annotated[str, typer.Argument(metavar="LEDGER.xlsx", help="The ledger workbook (.xlsx).")],
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", metavar="NAME", help="The sheet to read. Default: the first.", show_default=False),
    ] = None,
    map_file: Annotated[
        str | None,
        typer.Option(
            "--map",
            metavar="MAP.toml",
            help='Which header means what: header_row = N and a [columns] table of "表头" = "key".',
            show_default=False,
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Leave out rows that cannot be read and write the rest (exit 1).")
    ] = False,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The project file to write (never over an existing one); - is stdout.",
        ),
    ] = DEFAULT_NAME,
    as_of: AsOfOption = None,
    lang: LangOption = None,
) -> None:
    """Turn an existing key-project ledger (台账, .xlsx) into a starter project file.

    One project per row, or one milestone per row grouped by project name; units and people
    are made from the names found. It prints what mapped to what and every column and row left
    out; the result passes `sanshi check`, or nothing is written.

    Example: sanshi import 台账.xlsx --sheet 重点项目 -o projects.toml
    """
    from sanshi_cli.ledger import read_ledger, starter_text
    from sanshi_cli.loading import load_text

    with Run(None, lang) as run:
        source = Path(ledger)
        shown = one_line(ledger)
        raw = _read(source, shown)
        ledger_map = _read_map(Path(map_file), one_line(map_file)) if map_file is not None else None
        to_stdout = output == "-"
        target = None if to_stdout else Path(output)
        if target is not None and target.exists():
            raise SanshiError.single("import_exists", path=one_line(output))
        near = run.as_of(as_of)
        imported = read_ledger(raw, shown, sheet=sheet, ledger_map=ledger_map, near=near, lang=run.lang)
        report = sys.stderr if to_stdout else sys.stdout
        _print_mapping(imported, run.lang, report)
        run.report(imported.invalid)
        if imported.invalid and not skip_invalid:
            raise SanshiError.single("import_invalid_rows", path=shown, n=len(imported.invalid))
        if not imported.data["projects"]:
            raise SanshiError.single("import_no_projects", path=shown, sheet=one_line(imported.sheet))
        text = starter_text(imported, shown, run.lang)
        written = "-" if target is None else one_line(output)
        try:
            load_text(text, written)
        except FileProblems as error:
            run.report([_without_line(p) for p in error.problems])
            raise SanshiError.single("import_not_valid", path=shown, n=len(error.problems)) from None
        if target is None:
            sys.stdout.write(text)
        else:
            _write(target, text.encode("utf-8"), written)
        projects = count("n_projects", len(imported.data["projects"]), run.lang)
        if target is not None:
            report.write(label("import_written", run.lang, path=written, projects=projects) + "\n")
            report.write(label("import_next", run.lang, path=written) + "\n")
        run.finish(ExitCode.ATTENTION if imported.invalid else ExitCode.OK)


def _read(source: Path, shown: str) -> bytes:
    from sanshi_cli.files import NotAFile, TooBig, os_reason, read_capped
    from sanshi_cli.workbook import OLD_SUFFIXES

    if source.suffix.lower() in OLD_SUFFIXES:
        raise SanshiError.single("import_old_format", path=shown)
    try:
        return read_capped(source, LIMIT)
    except FileNotFoundError:
        raise SanshiError.single("import_not_found", path=shown) from None
    except TooBig:
        raise SanshiError.single("import_too_big", path=shown, mb=LIMIT // (1024 * 1024)) from None
    except NotAFile:
        raise SanshiError.single("import_not_xlsx", path=shown) from None
    except OSError as error:
        raise SanshiError.single("import_unreadable", path=shown, reason=os_reason(error)) from None


def _read_map(path: Path, shown: str) -> LedgerMap:
    import tomllib

    from sanshi_cli.files import os_reason, read_capped
    from sanshi_cli.ledger import parse_map

    try:
        text = read_capped(path, 1024 * 1024).decode("utf-8-sig")
    except FileNotFoundError:
        raise SanshiError.single("import_not_found", path=shown) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = os_reason(error) if isinstance(error, OSError) else str(error)
        raise SanshiError.single("import_unreadable", path=shown, reason=reason) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SanshiError.single("import_map_not_toml", path=shown, reason=one_line(str(error))) from None
    return parse_map(data, shown)


def _without_line(problem: Problem) -> Problem:
    """A problem of the file that was not written: its line means nothing to the reader."""
    from dataclasses import replace

    return replace(problem, line=None)


def _write(target: Path, data: bytes, shown: str) -> None:
    from sanshi_cli.files import os_reason, write_new

    try:
        write_new(target, data)
    except FileExistsError:
        raise SanshiError.single("import_exists", path=shown) from None
    except FileNotFoundError:
        raise SanshiError.single("init_no_folder", path=shown) from None
    except OSError as error:
        raise SanshiError.single("init_unwritable", path=shown, reason=os_reason(error)) from None


def _print_mapping(imported: Imported, lang: Lang, out: TextIO) -> None:
    """What mapped to what, the columns and rows left out, the defaults applied."""
    head = label(f"import_head_{imported.mode}", lang, sheet=one_line(imported.sheet), row=imported.header_row)
    lines = [head]
    for column in imported.columns:
        if column.key is None:
            continue
        extra = []
        if column.year is not None:
            extra.append(label("import_year", lang, year=column.year))
        if column.unit is not None:
            extra.append(column.unit)
        shown = f"（{'，'.join(extra)}）" if extra and lang == "zh" else f" ({', '.join(extra)})" if extra else ""
        lines.append(f"  {column.letter} {one_line(column.header)} → {column.key}{shown}")
    unmapped = [f"{c.letter} {one_line(c.header)}" for c in imported.columns if c.key is None]
    if unmapped:
        lines.append(label("import_unmapped_columns", lang, columns="、".join(unmapped)))
    if imported.ignored:
        rows = "、".join(
            label(f"import_ignored_{i.reason}", lang, row=i.row, text=one_line(i.text)) for i in imported.ignored
        )
        lines.append(label("import_ignored_rows", lang, rows=rows))
    for key, n in imported.defaults:
        lines.append(label("import_default_line", lang, what=label(key, lang), projects=count("n_projects", n, lang)))
    data = imported.data
    lines.append(
        label(
            "import_found",
            lang,
            projects=count("n_projects", len(data["projects"]), lang),
            units=len(data["units"]),
            people=len(data["people"]),
        )
    )
    out.write("".join(line + "\n" for line in lines))


def register(app: typer.Typer) -> None:
    app.command(name="import")(import_ledger)
