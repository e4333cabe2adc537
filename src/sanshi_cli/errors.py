"""One root error, the problems a user can make in a file, and the exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """What a sanshi command returns to the shell (and to cron)."""

    OK = 0  # done (also: the reader of a pipe left early)
    ATTENTION = 1  # --fail-on matched, a message was not delivered, or another run holds the lock
    INVALID = 2  # the user's file, options or configuration are wrong
    INTERNAL = 3  # a bug in sanshi: the traceback went to a log file (never 1, which cron reads as "late")


@dataclass(frozen=True, slots=True)
class Msg:
    """A message key and its parameters, translated only when shown (a part of a bigger message)."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth a warning) in the project file.

    ``message`` is a key of :data:`sanshi_cli.i18n.MESSAGES`; ``params`` fill it in.
    """

    message: str
    params: dict[str, object] = field(default_factory=dict)
    path: str | None = None
    line: int | None = None
    project: str | None = None
    milestone: str | None = None
    key: str | None = None
    subject: tuple[str, str] | None = None  # ("unit" | "person", id) for problems outside projects
    problem: str | None = None  # the id of the project's problem (问题清单) the place is in


class SanshiError(Exception):
    """Root of every error sanshi reports to the user instead of a traceback.

    ``exit_code`` is what a command ends with when the error reaches it (2: the user's input).
    """

    exit_code: ExitCode = ExitCode.INVALID

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message if problems else "error")
        self.problems = problems

    @classmethod
    def single(cls, message: str, path: str | None = None, **params: object) -> SanshiError:
        return cls([Problem(message, params, path=path)])


class FileProblems(SanshiError):
    """The project file could not be used; every problem found is listed."""


class CalendarError(SanshiError):
    """Working-day arithmetic reached a year with no holiday data under ``strict = true``."""


class UsageError(SanshiError):
    """An option's value is wrong (bad date, unknown filter, --from after --to)."""


class Busy(SanshiError):
    """The file could not be written now: another writer holds it, or it changed under us (exit 1)."""

    exit_code = ExitCode.ATTENTION
