"""The parse cache: a validated, scheduled portfolio kept on disk, so an unchanged file loads fast.

One cache file per project file (named by a hash of its resolved path) holds what
:func:`sanshi_cli.loading.validate_portfolio` returned: the models, the due dates, the
scheduling orders, the file's warnings and the years the calendar guessed. It is used only when
everything that could change the answer is the same: the file's bytes (size first, then a
BLAKE2 hash of its content: the hash decides, never the modification time), the versions of
sanshi, chinesecalendar and Python, and the shape of the models. Anything else (a changed
file or ``[calendar.years]``, a new version, a truncated or foreign cache file) is a miss: the
file is loaded in full and the cache rewritten, atomically. A cache that cannot be read or
written is never an error.

The format executes nothing on load: ``marshal`` of plain tuples, lists, dicts, strings and
numbers (dates as ordinals), read only after a hash of the whole payload has been checked.
Models are plain dataclasses, rebuilt without validation by setting each one's ``__dict__``
(so a cache hit never imports pydantic).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import marshal
import os
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sanshi_cli import model
from sanshi_cli.errors import Msg, Problem
from sanshi_cli.loading import Loaded, decode_text, load_text, make_calendar, read_raw
from sanshi_cli.workcalendar import WorkCalendar

FORMAT = 4  # bump when the layout below changes
_MAGIC = b"sanshi parse cache\n"
_DIGEST = 32  # bytes of BLAKE2b: of the payload in the cache file, and of the project file


class _Unusable(Exception):
    """This cache file does not answer for this project file (a miss, never shown)."""


# -- the models, as rows --------------------------------------------------------------------------

# How a field's value is stored: as it is (text, numbers, lists and tables of them), or converted.
_PLAIN, _DATE, _DATES, _MODEL, _MODELS, _MODEL_MAP = range(6)
_PLAIN_TYPES = (str, int, float, bool, type(None))


def _kind(annotation: Any) -> tuple[int, type | None]:
    """How a field of this type is stored; a type the cache cannot hold is a TypeError at import."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {_kind(a) for a in typing.get_args(annotation) if a is not type(None)}
        if len(kinds) == 1:
            return kinds.pop()
        if all(kind == _PLAIN for kind, _ in kinds):
            return _PLAIN, None
        raise TypeError(f"the parse cache cannot hold {annotation!r}")
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return _MODEL, annotation
    if annotation is date:
        return _DATE, None
    if origin is list:
        (item,) = typing.get_args(annotation)
        kind, sub = _kind(item)
        if kind == _PLAIN:
            return _PLAIN, None
        if kind == _DATE:
            return _DATES, None
        if kind == _MODEL:
            return _MODELS, sub
    if origin is dict:
        key, value = typing.get_args(annotation)
        kind, sub = _kind(value)
        if key is str and kind == _PLAIN:
            return _PLAIN, None
        if key is str and kind == _MODEL:
            return _MODEL_MAP, sub
    if origin is typing.Literal or annotation in _PLAIN_TYPES:
        return _PLAIN, None
    raise TypeError(f"the parse cache cannot hold {annotation!r}")


@dataclass(frozen=True, eq=False)
class _Shape:
    """A model class as the cache stores it: its fields in order, and those that need converting."""

    cls: type
    names: tuple[str, ...]
    converted: tuple[tuple[int, int, type | None], ...]  # (position, kind, model class)


_SHAPES: dict[type, _Shape] = {}


def _shape(cls: type) -> _Shape:
    found = _SHAPES.get(cls)
    if found is None:
        fields = model.hints(cls)
        names = tuple(fields)
        converted = []
        for i, annotation in enumerate(fields.values()):
            kind, sub = _kind(annotation)
            if kind != _PLAIN:
                converted.append((i, kind, sub))
                if sub is not None:
                    _shape(sub)
        found = _SHAPES[cls] = _Shape(cls, names, tuple(converted))
    return found


_shape(model.Portfolio)
# The models' shape is part of the key: a field added without a version change is still a miss.
SCHEMA = tuple((shape.cls.__name__, shape.names) for shape in _SHAPES.values())


_new = object.__new__
_set = object.__setattr__
_from_ordinal = date.fromordinal
_to_ordinal = date.toordinal

# Each model's converters, made once: (field, conversion of a value that is not None).
_DUMPERS: dict[type, Callable[[Any], dict[str, Any]]] = {}
_BUILDERS: dict[type, Callable[[dict[str, Any]], Any]] = {}


def _codec(shape: _Shape) -> None:
    """The dump and build functions of one model (those of the models it holds exist already)."""
    dumps: list[tuple[str, Callable[[Any], Any]]] = []
    builds: list[tuple[str, Callable[[Any], Any]]] = []
    for i, kind, sub in shape.converted:
        name = shape.names[i]
        if kind == _DATE:
            dumps.append((name, _to_ordinal))
            builds.append((name, _from_ordinal))
        elif kind == _DATES:
            dumps.append((name, lambda days: [_to_ordinal(day) for day in days]))
            builds.append((name, lambda ordinals: [_from_ordinal(day) for day in ordinals]))
        else:
            assert sub is not None
            part_dump, part_build = _DUMPERS[sub], _BUILDERS[sub]
            if kind == _MODEL:
                dumps.append((name, part_dump))
                builds.append((name, part_build))
            elif kind == _MODELS:
                dumps.append((name, lambda items, dump=part_dump: [dump(item) for item in items]))  # type: ignore[misc]
                builds.append((name, lambda rows, build=part_build: [build(row) for row in rows]))  # type: ignore[misc]
            else:
                dumps.append((name, lambda table, dump=part_dump: {k: dump(v) for k, v in table.items()}))  # type: ignore[misc]
                builds.append((name, lambda table, build=part_build: {k: build(v) for k, v in table.items()}))  # type: ignore[misc]
    cls = shape.cls

    def dump(obj: Any) -> dict[str, Any]:
        values: dict[str, Any] = obj.__dict__  # only read, by marshal, when nothing is converted
        if dumps:
            values = dict(values)
            for name, convert in dumps:
                value = values[name]
                if value is not None:
                    values[name] = convert(value)
        return values

    def build(values: dict[str, Any]) -> Any:
        for name, convert in builds:
            value = values[name]
            if value is not None:
                values[name] = convert(value)
        obj: Any = _new(cls)
        _set(obj, "__dict__", values)
        return obj

    _DUMPERS[cls], _BUILDERS[cls] = dump, build


for _each in _SHAPES.values():  # a model's parts were shaped before it
    _codec(_each)


def _dump(obj: object) -> dict[str, Any]:
    """A model as the dict of its values (marshal rebuilds a dict in C, far faster than zipping
    names and values in Python)."""
    return _DUMPERS[type(obj)](obj)


def _build(cls: type, values: dict[str, Any]) -> Any:
    """The model ``values`` holds, without validation or defaults (every field was stored)."""
    return _BUILDERS[cls](values)


# -- problems (the file's warnings) -------------------------------------------------------------


def _dump_value(value: object) -> tuple[Any, ...]:
    if value is None or isinstance(value, str | bool | int | float):
        return ("v", value)
    if isinstance(value, date):
        return ("d", value.toordinal())
    if isinstance(value, Msg):
        return ("m", value.key, _dump_params(value.params))
    if isinstance(value, list | tuple):
        return ("l" if isinstance(value, list) else "t", [_dump_value(v) for v in value])
    raise _Unusable(f"a warning's parameter of type {type(value).__name__}")


def _load_value(stored: tuple[Any, ...]) -> object:
    tag = stored[0]
    if tag == "v":
        return stored[1]
    if tag == "d":
        return _from_ordinal(stored[1])
    if tag == "m":
        return Msg(stored[1], _load_params(stored[2]))
    items = [_load_value(v) for v in stored[1]]
    return items if tag == "l" else tuple(items)


def _dump_params(params: dict[str, object]) -> list[tuple[str, tuple[Any, ...]]]:
    return [(key, _dump_value(value)) for key, value in params.items()]


def _load_params(stored: list[tuple[str, tuple[Any, ...]]]) -> dict[str, object]:
    return {key: _load_value(value) for key, value in stored}


def _dump_problem(problem: Problem, display: str) -> tuple[Any, ...]:
    # The file as the user named it depends on the current folder: stored as a mark, put back on load.
    path: object = True if problem.path == display else problem.path
    return (problem.message, _dump_params(problem.params), path, problem.line, problem.project,
            problem.milestone, problem.key, problem.subject, problem.problem)  # fmt: skip


def _load_problem(row: tuple[Any, ...], display: str) -> Problem:
    message, params, path, line, project, milestone, key, subject, problem = row
    path = display if path is True else path
    return Problem(message, _load_params(params), path, line, project, milestone, key, subject, problem)


# -- the cache ----------------------------------------------------------------------------------


def _key() -> tuple[Any, ...]:
    """What a stored portfolio depends on besides the file: the versions and the models' shape."""
    import chinese_calendar

    import sanshi_cli

    return (FORMAT, sanshi_cli.__version__, chinese_calendar.__version__, sys.version, SCHEMA)


def cache_file(folder: Path, path: Path) -> Path:
    """Where the cache of the project file at ``path`` lives in ``folder``."""
    name = hashlib.blake2b(str(path.resolve()).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return folder / f"{name}.parse"


@dataclass(frozen=True)
class ParseCache:
    """The cache folder; :meth:`load` reads a project file through it."""

    folder: Path

    def load(self, path: Path, display: str) -> Loaded:
        """The project file, loaded: from the cache when it answers for these bytes, else in full
        (and then stored). Problems in the file are raised as :func:`loading.load_portfolio` raises them."""
        raw = read_raw(path, display)
        try:
            size = len(raw)
            mtime = _mtime(path)
            target = cache_file(self.folder, path)
            loaded = self._read(target, path, raw, size, display)
        except (_Unusable, OSError, ValueError, TypeError, EOFError, KeyError, IndexError, AttributeError):
            loaded = None
        if loaded is not None:
            return loaded
        loaded = load_text(decode_text(raw, display), display)
        self.store(path, raw, loaded, mtime)
        return loaded

    def store(self, path: Path, raw: bytes, loaded: Loaded, mtime: int | None = None) -> None:
        """Keep ``loaded``, the portfolio of the file whose bytes are ``raw``; never an error."""
        from sanshi_cli.files import atomic_writer

        collecting = gc.isenabled()
        gc.disable()  # as in _read: many new objects, no garbage
        try:
            body = _dump_loaded(loaded)
            key = (*_key(), str(path.resolve()), len(raw), mtime if mtime is not None else _mtime(path), _hash(raw))
            payload = marshal.dumps((key, body))
            self.folder.mkdir(parents=True, exist_ok=True)
            digest = hashlib.blake2b(payload, digest_size=_DIGEST).digest()
            # as files.write_atomic, in two pieces; readable by the user alone, as addresses are in it
            with atomic_writer(cache_file(self.folder, path), binary=True, permissions=0o600) as handle:
                handle.write(_MAGIC + digest)
                handle.write(payload)
        except (_Unusable, OSError, ValueError):
            pass
        finally:
            if collecting:
                gc.enable()

    def _read(self, target: Path, path: Path, raw: bytes, size: int, display: str) -> Loaded | None:
        with open(target, "rb") as handle:
            data = handle.read()
        start = len(_MAGIC) + _DIGEST
        if not data.startswith(_MAGIC):
            return None  # not ours
        payload = memoryview(data)[start:]
        if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != data[len(_MAGIC) : start]:
            return None  # truncated or damaged: never handed to marshal
        # Tens of thousands of new objects and no garbage among them: the collector would only
        # walk them again and again (a third of the time on the bench file).
        collecting = gc.isenabled()
        gc.disable()
        try:
            key, body = marshal.loads(payload)
            *versions, resolved, stored_size, _mtime_ns, content = key
            if tuple(versions) != _key() or resolved != str(path.resolve()) or stored_size != size:
                return None
            if content != _hash(raw):  # the size and the time may agree: the content decides
                return None
            return _load_loaded(body, decode_text(raw, display), display)
        finally:
            if collecting:
                gc.enable()


def _hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=_DIGEST).digest()


def _mtime(path: Path) -> int:
    return os.stat(path).st_mtime_ns


def _dump_loaded(loaded: Loaded) -> tuple[Any, ...]:
    """The body of a cache file. A project's order is None when it is the file's order, and of its
    due dates only those counted from an anchor are stored: the written ones are the milestones'
    own ``due``, first in the dict and in file order, as :func:`scheduling.resolve_due_dates` puts them."""
    portfolio = loaded.portfolio
    if len(loaded.due) != len(portfolio.projects) or len(loaded.orders) != len(portfolio.projects):
        raise _Unusable("project ids are not unique")
    orders: list[list[int] | None] = []
    counted: list[list[tuple[str, int]]] = []
    for project in portfolio.projects:
        milestones = project.milestones
        order = loaded.orders[project.id]
        if order is milestones or list(map(id, order)) == list(map(id, milestones)):
            orders.append(None)
        else:
            position = {id(m): i for i, m in enumerate(milestones)}
            orders.append([position[id(m)] for m in order])
        dates = loaded.due[project.id]
        written = [(m.id, m.due) for m in milestones if m.due is not None]
        items = list(dates.items())
        if items[: len(written)] != written:
            raise _Unusable("the written due dates are not first")  # never: as resolve_due_dates puts them
        counted.append([(mid, day.toordinal()) for mid, day in items[len(written) :]])
    warnings = [_dump_problem(p, loaded.path) for p in loaded.warnings]
    return (_dump(portfolio), orders, counted, warnings, sorted(loaded.calendar.uncovered))


def _load_loaded(body: tuple[Any, ...], text: str, display: str) -> Loaded:
    rows, orders, counted, warnings, uncovered = body
    portfolio: model.Portfolio = _build(model.Portfolio, rows)
    calendar: WorkCalendar = make_calendar(portfolio.calendar)
    calendar.uncovered.update(uncovered)
    projects = portfolio.projects
    from_ordinal: Callable[[int], date] = _from_ordinal
    due: dict[str, dict[str, date]] = {}
    for project, days in zip(projects, counted, strict=True):
        dates = due[project.id] = {m.id: m.due for m in project.milestones if m.due is not None}
        for mid, day in days:
            dates[mid] = from_ordinal(day)
    return Loaded(
        path=display,
        portfolio=portfolio,
        calendar=calendar,
        due=due,
        orders={
            p.id: list(p.milestones) if order is None else [p.milestones[i] for i in order]
            for p, order in zip(projects, orders, strict=True)
        },
        units={u.id: u for u in portfolio.units},
        people={p.id: p for p in portfolio.people},
        text=text,
        warnings=[_load_problem(row, display) for row in warnings],
    )
