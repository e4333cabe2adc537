"""``sanshi check``: validate the project file and list every problem at once."""

from __future__ import annotations

import typer

from sanshi_cli.cli.common import AsOfOption, FileOption, LangOption, NoCacheOption, Run
from sanshi_cli.errors import ExitCode


def check(
    file: FileOption = None, as_of: AsOfOption = None, lang: LangOption = None, no_cache: NoCacheOption = False
) -> None:
    """Validate the project file: exit 0 when clean, 2 with one line per problem otherwise.

    Also warns, without failing, about deadlines on rest days, milestones outside their
    project's span, done dates in the future, control, bidi and invisible characters in
    names and ids, and ids that differ only in case or width.

    Example: sanshi check -f data/projects.toml
    """
    from sanshi_cli.i18n import count, label

    with Run(file, lang, no_cache=no_cache) as run:
        loaded = run.load()
        warnings = loaded.find_warnings(run.as_of(as_of))
        run.report(warnings, "warning")
        portfolio = loaded.portfolio
        lang = run.lang
        counts = {
            "path": loaded.path,
            "projects": count("n_projects", len(portfolio.projects), lang),
            "milestones": count("n_milestones", sum(len(p.milestones) for p in portfolio.projects), lang),
        }
        problems = sum(len(p.problems) for p in portfolio.projects)
        if problems:  # the 问题清单 is counted where it has entries: "48 个节点、15 个问题"
            counts["milestones"] += ("、" if lang == "zh" else ", ") + count("n_problems", problems, lang)
        counts |= {
            "warnings": count("n_warnings", len(warnings), lang),
        }
        key = "check_ok_warnings" if warnings else "check_ok"
        typer.echo(label(key, run.lang, **counts))
        run.finish(ExitCode.OK)


def register(app: typer.Typer) -> None:
    app.command()(check)
