"""Writing the project file back: locked, validated, atomic, and refused when it changed meanwhile.

One transaction for every command that changes the file:

1. wait (up to 30 s) for an exclusive lock on ``<file>.lock``, so that writers take turns;
2. read the bytes, edit the text (the edit is a function of the text read);
3. validate the edited text with the loader every command uses; if it would not pass
   ``sanshi check``, write nothing and list the problems;
4. write a temporary file beside it, compare the bytes on disk with those read in step 2
   (someone may have saved the file in an editor, without the lock: then refuse), keep the
   previous version as ``<file>.bak`` (unless ``[settings] backup = false``), fsync, rename.

The encoding stays as it was: UTF-8 with or without a BOM; line endings are the edit's business.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sanshi_cli.errors import Busy, FileProblems, Problem, SanshiError
from sanshi_cli.loading import Loaded

BOM = b"\xef\xbb\xbf"
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one


@dataclass(slots=True)
class Edited:
    """What an edit made of the text: the new text (None: nothing to change), a message and warnings."""

    text: str | None
    message: str  # a message key of i18n.MESSAGES, saying what changed (or why nothing did)
    params: dict[str, object] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class Written:
    """The outcome of one transaction."""

    edited: Edited
    old_text: str
    new_text: str
    written: bool
    loaded: Loaded | None = None  # the edited file, validated (None when nothing was validated)
    backup: Path | None = None
    data: bytes | None = None  # the bytes written (None when nothing was)


class NotWritten(FileProblems):
    """The edited file would not pass ``sanshi check``: nothing was written (exit 2)."""


def lock_path(path: Path) -> Path:
    """``<file>.lock`` beside the file itself (through symbolic links, so every name shares one lock)."""
    from sanshi_cli.files import through_links

    target = through_links(path)
    return target.with_name(target.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, display: str, timeout: float) -> Iterator[None]:
    """Hold the exclusive lock on ``<file>.lock``; wait at most ``timeout`` seconds for it."""
    from filelock import FileLock, Timeout

    from sanshi_cli.files import cannot_write

    lock = lock_path(path)
    try:
        holder = FileLock(str(lock), timeout=timeout)
        holder.acquire()
    except Timeout:
        raise Busy(
            [Problem("write_locked", {"path": display, "lock": str(lock), "seconds": _seconds(timeout)})]
        ) from None
    except OSError as error:
        raise cannot_write(lock, error) from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            holder.release()


def _seconds(timeout: float) -> str:
    return str(int(timeout)) if float(timeout).is_integer() else f"{timeout:g}"


def rewrite(
    path: Path,
    display: str,
    edit: Callable[[str], Edited],
    *,
    dry_run: bool = False,
    timeout: float = LOCK_TIMEOUT,
    before_replace: Callable[[], None] | None = None,
) -> Written:
    """Run one write transaction on ``path`` (see the module's description).

    ``edit`` gets the text and returns what to write. ``dry_run`` validates and returns the
    would-be text without taking the lock or writing anything. ``before_replace`` is called
    after the new file is written and before the bytes on disk are compared (a seam for tests
    that change the file at that moment, as an editor would).
    """
    if dry_run:
        return _transaction(path, display, edit, dry_run=True, before_replace=None)
    with locked(path, display, timeout):
        return _transaction(path, display, edit, dry_run=False, before_replace=before_replace)


def _transaction(
    path: Path,
    display: str,
    edit: Callable[[str], Edited],
    *,
    dry_run: bool,
    before_replace: Callable[[], None] | None,
) -> Written:
    from sanshi_cli.loading import decode_text, read_raw

    raw = read_raw(path, display)
    text = decode_text(raw, display)
    edited = edit(text)
    if edited.text is None or edited.text == text:
        return Written(edited, text, text, written=False)
    loaded = validate_edited(edited.text, display)
    if dry_run:
        return Written(edited, text, edited.text, written=False, loaded=loaded)
    data = edited.text.encode("utf-8")
    if raw.startswith(BOM):
        data = BOM + data
    backup = _replace(path, display, raw, data, loaded.portfolio.settings.backup, before_replace)
    return Written(edited, text, edited.text, written=True, loaded=loaded, backup=backup, data=data)


def validate_edited(text: str, display: str) -> Loaded:
    """The edited text, loaded as every command loads the file; :class:`NotWritten` if it fails."""
    from sanshi_cli.loading import parse_toml, validate_portfolio

    try:
        return validate_portfolio(parse_toml(text, display), text, display)
    except FileProblems as error:
        raise NotWritten(error.problems) from None


def _replace(
    path: Path,
    display: str,
    raw: bytes,
    data: bytes,
    backup: bool,
    before_replace: Callable[[], None] | None,
) -> Path | None:
    """Write ``data`` over ``path`` in one step, unless its bytes are no longer ``raw``."""
    from sanshi_cli.files import PROJECT_LIMIT, atomic_writer, cannot_write, read_capped, through_links

    target = through_links(path)
    kept = target.with_name(target.name + ".bak") if backup else None
    writing = display  # what a failure names: the file, or its backup while that is written
    try:
        mode = os.stat(target).st_mode & 0o777
        with atomic_writer(target, binary=True) as handle:
            handle.write(data)
            if before_replace is not None:
                before_replace()
            try:
                now = read_capped(target, PROJECT_LIMIT)
            except OSError:
                now = None
            if now != raw:
                raise Busy([Problem("write_conflict", {"path": display})])
            if kept is not None:
                writing = str(kept)
                with atomic_writer(kept, binary=True, permissions=mode) as old:
                    old.write(raw)
                writing = display
    except SanshiError:
        raise
    except OSError as error:
        raise cannot_write(writing, error) from None
    return kept
