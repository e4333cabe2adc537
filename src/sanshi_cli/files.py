"""Reading only what is a file, and writing so that a crash or a full disk never leaves a half-written one.

sanshi reads its project file, its alert state and a password file; any of them may be named by
someone else (a cron line, an environment variable). A named pipe would make a read wait for
ever, a device (``/dev/zero``) never ends: only regular files, or links to one, are read, and
never more than a cap.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sanshi_cli.errors import Problem, SanshiError

if TYPE_CHECKING:
    from sanshi_cli.i18n import Lang

MiB = 1024 * 1024
PROJECT_LIMIT = 64 * MiB  # 10,000 projects take 14 MB
STATE_LIMIT = 64 * MiB  # and their alert state about 7 MB
SECRET_LIMIT = 64 * 1024  # a password is a line


# -- finding the project file (cheap: no model, for completion and usage errors) ---------------

FILE_NAMES = ("projects.toml", "data/projects.toml")


def find_project_file(option: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The first of ``--file``, ``$SANSHI_FILE``, ``./projects.toml``, ``./data/projects.toml``."""
    chosen = option or environ.get("SANSHI_FILE") or None
    if chosen:
        return Path(chosen)
    for name in FILE_NAMES:
        candidate = cwd / name
        if candidate.is_file():
            return candidate
    looked = ", ".join(["--file", "$SANSHI_FILE", *(f"./{n}" for n in FILE_NAMES)])
    raise SanshiError.single("file_not_found", looked=looked)


def sniff_language(text: str) -> Lang | None:
    """The file's ``language`` setting, read without parsing, for messages about a broken file."""
    found = re.search(r"(?m)^[ \t\u3000]*language[ \t\u3000]*[=＝][ \t\u3000]*[\"'“”‘’](zh|en)[\"'“”‘’]", text)
    if found is None:
        return None
    return "en" if found.group(1) == "en" else "zh"


def os_reason(error: BaseException) -> str:
    """Why an operation on a file failed, on one line (``No space left on device``)."""
    from sanshi_cli.i18n import one_line

    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return one_line(str(text))


def cannot_write(path: Path | str, error: BaseException) -> SanshiError:
    """``cannot write PATH (reason)``: the path is part of the message, not a location before it."""
    return SanshiError([Problem("cannot_write", {"path": str(path), "reason": os_reason(error)})])


class NotAFile(OSError):
    """The path exists but is no regular file: ``kind`` says what it is (a message key's suffix)."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"not a regular file: {kind}")
        self.kind = kind  # directory | fifo | device | socket | loop | other


class TooBig(OSError):
    """The file is larger than the cap for its kind; nothing of it was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"larger than {limit} bytes")
        self.limit = limit


def kind_of(mode: int) -> str | None:
    """What a ``st_mode`` is, when it is not a regular file (None when it is)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "other"


def size_text(limit: int) -> str:
    """``64 MiB``, ``64 KiB``: a cap as people read it."""
    if limit % MiB == 0:
        return f"{limit // MiB} MiB"
    return f"{limit // 1024} KiB" if limit % 1024 == 0 else f"{limit} B"


def read_capped(path: Path, limit: int, *, head: bool = False) -> bytes:
    """The bytes of the regular file at ``path`` (or the file a link leads to), at most ``limit``.

    Raises :class:`NotAFile` at once for a directory, a FIFO, a device, a socket or a link
    loop (nothing is read, nothing waited on), :class:`TooBig` beyond ``limit`` (with ``head``,
    the first ``limit`` bytes instead), and the ``OSError`` of the system otherwise
    (``FileNotFoundError``, ``PermissionError``).
    """
    try:
        before = os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotAFile("loop") from None
        raise
    kind = kind_of(before.st_mode)
    if kind is not None:
        raise NotAFile(kind)
    if before.st_size > limit and not head:
        raise TooBig(limit)
    # O_NONBLOCK: should a FIFO be swapped in after the stat, opening it does not wait for a writer
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotAFile("loop") from None
        if error.errno == errno.EISDIR:
            raise NotAFile("directory") from None
        raise
    try:
        opened = os.fstat(fd)  # what was opened, not what the name pointed at a moment ago
        kind = kind_of(opened.st_mode)
        if kind is not None:
            raise NotAFile(kind)
        if opened.st_size > limit and not head:
            raise TooBig(limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:  # read at most limit + 1 bytes: a file that grows is caught too
            chunk = os.read(fd, min(limit + 1 - total, MiB))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            if head:
                return b"".join(chunks)[:limit]
            raise TooBig(limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


# Byte-order marks of the encodings Notepad and Excel may save in, longest first (UTF-32 LE
# starts with UTF-16 LE's mark).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32LE"),
    (b"\x00\x00\xfe\xff", "UTF-32BE"),
    (b"\xff\xfe", "UTF-16LE"),
    (b"\xfe\xff", "UTF-16BE"),
)


def wide_encoding(raw: bytes) -> str | None:
    """``UTF-16LE`` and the like when ``raw`` starts with such a byte-order mark, else None."""
    return next((name for bom, name in BOMS if raw.startswith(bom)), None)


def nesting_line(text: str, limit: int, *, comments: bool) -> int | None:
    """The line on which brackets (``[`` ``{``) outside strings first nest deeper than ``limit``.

    For a reader that gave up with a ``RecursionError``: TOML (``comments``: ``#`` to the end
    of the line; strings in either quote) or JSON (double quotes only).
    """
    depth, line, i, n = 0, 1, 0, len(text)
    quotes = "\"'" if comments else '"'
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        elif ch in quotes:
            closing = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(closing)
            while i < n and not text.startswith(closing, i):
                if text[i] == "\n":
                    line += 1
                i += 2 if text[i] == "\\" and ch == '"' else 1
        elif comments and ch == "#":
            while i + 1 < n and text[i + 1] != "\n":
                i += 1
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return line
        elif ch in "]}":
            depth = max(depth - 1, 0)
        i += 1
    return None


@contextlib.contextmanager
def atomic_writer(
    path: Path,
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
    permissions: int | None = None,
) -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path``, then rename it over ``path``.

    The old file stays intact until the new one is complete and on disk; on an error the
    temporary file is removed and ``path`` is untouched. The new file keeps the old one's
    permissions (a new one gets the umask's, or ``permissions``), and the rename is made durable too. A symbolic
    link stays a link: the file it leads to is the one replaced, beside itself.
    """
    import tempfile  # only when writing: every command reads, few write

    path = through_links(path)
    directory = path.parent if str(path.parent) else Path(".")
    # mkstemp opens with O_EXCL: never writes through a file or link someone else put there
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        mode = "wb" if binary else "w"
        with open(fd, mode, encoding=None if binary else encoding, newline=None if binary else newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if permissions is not None:
            os.chmod(temporary, permissions & 0o777)
        elif path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(directory)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (see :func:`atomic_writer`)."""
    with atomic_writer(path, binary=True) as handle:
        handle.write(data)


def through_links(path: Path) -> Path:
    """The path a write must replace: ``path`` itself, or the file its symbolic links lead to.

    Raises :class:`NotAFile` for a link loop.
    """
    if not os.path.islink(path):
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return Path(os.path.realpath(path))  # a dangling link: the file it names is created
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotAFile("loop") from None
        raise


def existing_kind(path: Path) -> str | None:
    """What is at ``path`` when it exists and is no regular file (following links), else None."""
    try:
        return kind_of(os.stat(path).st_mode)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "loop"
        return None


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` in one step; never replace a file that is there.

    Like :func:`atomic_writer`, the content is complete and on disk before the name appears;
    a hard link puts it in place only if nothing has the name (``FileExistsError`` otherwise),
    so a file created meanwhile by someone else is not overwritten either.
    """
    import tempfile

    directory = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:
            # a file system without hard links: check, then rename (a narrow race, no worse)
            if os.path.lexists(path):
                raise FileExistsError(path) from None
            os.replace(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    _fsync_directory(directory)
