"""Property-based fuzzing of the loader: whatever the project file holds, sanshi answers, never crashes.

Two sources of hostile files: random bytes, and mutations of the bundled sample (lines deleted,
values swapped for another type, tables duplicated, control and full-width characters inserted,
the file cut short, huge numbers, far dates, deep arrays, empty strings, unknown keys), made on
the text and on the parsed tables. For each file ``check``, ``status`` and ``plan --format json``
run in-process and must exit 0, 1 or 2 (never 3, an internal error), print no traceback and
leave the file byte for byte as it was.

The default run is bounded for CI (a few hundred examples). A long campaign, which stops at
the first crash and shrinks it to a minimal input:

    SANSHI_FUZZ_EXAMPLES=20000 pytest -m fuzz_long tests/test_fuzz.py

or ``python bench/fuzz.py 20000``, which lists every distinct crash (see bench/README.md).
Each crash found becomes a regression test at the end of this file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE, Result

SAMPLE_BYTES = SAMPLE.read_bytes()
SAMPLE_TEXT = SAMPLE_BYTES.decode("utf-8")
SAMPLE_LINES = SAMPLE_TEXT.splitlines(keepends=True)
SAMPLE_DATA = tomllib.loads(SAMPLE_TEXT)

# Read at import: the autouse fixture clears SANSHI_* before each test runs.
LONG_EXAMPLES = int(os.environ.get("SANSHI_FUZZ_EXAMPLES", "5000"))


def _settings(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# -- hostile values --------------------------------------------------------------------------------

CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\t", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x9b", "\u202e"])
FULL_WIDTH = st.sampled_from(
    ["＝", "＋", "－", "＠", "［", "］", "｛", "｝", "＂", "：", "，", "　", "２０２６", "ａｂｃ"]
)
ODD_TEXT = st.one_of(
    st.just(""),
    st.text(max_size=20),
    st.text(alphabet=st.sampled_from("{}%$\\\"'<>&@.:;,- 0123456789wdWDmy"), max_size=12),
    CONTROL,
    FULL_WIDTH,
    st.just("x" * 5000),
    st.sampled_from(["10wd", "-3wd", "0wd", "99999999wd", "1m", "-1y", "2026-W53", "2026-13", "nan", "inf"]),
)
FAR_DATES = st.one_of(
    st.dates(),
    st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(1989, 12, 31), date(2200, 1, 1), date(2026, 2, 29 - 1)]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, 10**18, -(10**18), 2**63 - 1, -(2**63)]),
    st.floats(allow_nan=False, allow_infinity=False),
)
SCALARS = st.one_of(
    ODD_TEXT,
    NUMBERS,
    st.booleans(),
    FAR_DATES,
    st.datetimes(),
    st.times(),
)


def _deep(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["id", "name", "due", "x", "", "　"]), inner, max_size=3),
    ),
    max_leaves=8,
) | st.builds(_deep, st.integers(min_value=2, max_value=60), SCALARS)


def _toml_value(value: Any) -> str:
    """A value as TOML text (as an inline value of a one-key document)."""
    text = tomli_w.dumps({"k": value})
    return text.split("=", 1)[1].strip() if text.startswith("k =") else '"x"'


def _inline(value: Any) -> str:
    try:
        return _toml_value(value)
    except (TypeError, ValueError):
        return '"x"'


# -- mutations of the text -------------------------------------------------------------------------

TEXT_MUTATIONS = ("delete", "swap", "duplicate", "insert_char", "truncate", "unknown_key", "raw_value")


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        kind = draw(st.sampled_from(TEXT_MUTATIONS))
        index = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        if not lines:
            break
        line = lines[index]
        if kind == "delete":
            del lines[index]
        elif kind in ("swap", "raw_value") and "=" in line and not line.lstrip().startswith("#"):
            key = line.split("=", 1)[0]
            if kind == "swap":
                new = _inline(draw(VALUES))
            else:
                new = draw(
                    st.sampled_from(
                        ["", "2026-02-30", "1e999", "-nan", "0x7fffffffffffffffff", "[[[[", "{", "'''", "1" * 4400]
                    )
                )
            lines[index] = f"{key}= {new}\n"
        elif kind == "duplicate":
            headers = [i for i, text in enumerate(lines) if text.lstrip().startswith("[")]
            if headers:
                start = draw(st.sampled_from(headers))
                end = next((i for i in headers if i > start), len(lines))
                lines[end:end] = lines[start:end]
        elif kind == "insert_char":
            char = draw(st.one_of(CONTROL, FULL_WIDTH))
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[index] = line[:at] + char + line[at:]
        elif kind == "truncate":
            text = "".join(lines)
            cut = draw(st.integers(min_value=0, max_value=len(text)))
            lines = text[:cut].splitlines(keepends=True)
        elif kind == "unknown_key":
            key = draw(st.sampled_from(["foo", "nmae", "id", "due", '"　"', '""', "leader.x"]))
            lines.insert(index, f"{key} = {_inline(draw(VALUES))}\n")
    return "".join(lines)


# -- mutations of the parsed tables ----------------------------------------------------------------


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a dict or list in the document (the places a mutation can act on)."""
    found = [path]
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        if isinstance(child, dict | list):
            found.extend(_containers(child, (*path, key)))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def _ids(node: Any) -> set[str]:
    """Every id in the document: a value of the right type that points somewhere else."""
    if isinstance(node, dict):
        found = {node["id"]} if isinstance(node.get("id"), str) else set()
        return found.union(*(_ids(child) for child in node.values()))
    if isinstance(node, list):
        return set().union(*(_ids(child) for child in node))
    return set()


SAMPLE_IDS = sorted(_ids(SAMPLE_DATA))
EDGE_DATES = st.sampled_from(
    [date(1990, 1, 1), date(2199, 12, 31), date(1989, 12, 31), date(2200, 1, 1), date(2026, 11, 27), date(2024, 2, 29)]
)


def _alike(value: Any) -> st.SearchStrategy[Any]:
    """An odd value of the same type, which passes the type check and tests what comes after it."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int | float):
        return st.one_of(NUMBERS, st.integers(min_value=-2, max_value=102))
    if isinstance(value, date):
        return st.one_of(EDGE_DATES, st.dates(min_value=date(1985, 1, 1), max_value=date(2205, 12, 31)))
    if isinstance(value, str):
        return st.one_of(ODD_TEXT, st.sampled_from(SAMPLE_IDS))
    if isinstance(value, list):
        return st.one_of(st.just([]), st.just(value + value), st.permutations(value), st.just(value[:1] * 50))
    return st.just(value)


CHAIN_OFFSETS = ("120m", "-120m", "2600wd", "-2600wd", "3660d", "-520w", "1d")
CHAIN_LENGTHS = (1, 2, 30, 250, 900)  # 250 reach year 1 backwards, 900 year 9999 forwards


def _chain_onto(milestones: list[Any], offset: str, length: int) -> None:
    """``length`` milestones, each ``offset`` after the one before, after the last one given."""
    last = milestones[-1].get("id") if isinstance(milestones[-1], dict) else None
    for n in range(length):
        ident = f"chain-{n}"
        milestones.append(
            {"id": ident, "name": ident, "after": last if isinstance(last, str) else "", "offset": offset}
        )
        last = ident


@st.composite
def mutated_data(draw: st.DrawFn) -> str:
    import copy

    data = copy.deepcopy(SAMPLE_DATA)
    paths = _containers(data)
    chained = draw(st.integers(min_value=0, max_value=7)) == 0  # a long chain of offsets, alone
    for _ in range(0 if chained else draw(st.integers(min_value=1, max_value=4))):
        node = _at(data, draw(st.sampled_from(paths)))
        kind = draw(st.sampled_from(["replace", "alike", "alike", "delete", "duplicate", "add"]))
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            if kind == "replace":
                node[key] = draw(VALUES)
            elif kind == "alike":
                node[key] = draw(_alike(node[key]))
            elif kind == "delete":
                del node[key]
            elif kind == "add":
                node[draw(st.sampled_from(["foo", "id", "due", "after", "offset", "done", "", "x" * 200]))] = draw(
                    VALUES
                )
        elif isinstance(node, list) and node:
            index = draw(st.integers(min_value=0, max_value=len(node) - 1))
            if kind == "replace":
                node[index] = draw(VALUES)
            elif kind == "alike":
                node[index] = draw(_alike(node[index]))
            elif kind == "delete":
                del node[index]
            else:
                node.insert(index, copy.deepcopy(node[index]))
        paths = _containers(data)
    if chained:
        project = draw(st.sampled_from(data["projects"]))
        _chain_onto(project["milestones"], draw(st.sampled_from(CHAIN_OFFSETS)), draw(st.sampled_from(CHAIN_LENGTHS)))
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError):  # a top-level value TOML cannot hold: keep the sample
        return SAMPLE_TEXT


# -- the property ----------------------------------------------------------------------------------

COMMANDS = (
    ("check",),
    ("status", "--as-of", "2026-11-27"),
    ("plan", "--as-of", "2026-11-27", "--format", "json"),
)


def assert_survives(sanshi: Callable[..., Result], path: Path, content: bytes) -> None:
    """Every command ends in 0, 1 or 2 without a traceback, and the file is untouched."""
    path.write_bytes(content)
    for command in COMMANDS:
        result = sanshi(*command, "-f", str(path))
        output = result.stdout + result.stderr
        assert result.exit_code in (0, 1, 2), f"{command[0]} exit {result.exit_code}\n{output}"
        assert "Traceback" not in output, f"{command[0]}\n{output}"
        assert path.read_bytes() == content, f"{command[0]} changed the file"


def _raise(error: BaseException, args: list[str]) -> None:
    raise error


@pytest.fixture
def fuzz(sanshi: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], None]:
    """Check one file's content; an internal error escapes with its own traceback.

    So the failure shows where it happened, and hypothesis tells distinct crashes apart
    (by the place each is raised) instead of reporting one failed assertion.
    """
    import sanshi_cli.cli.root

    monkeypatch.setattr(sanshi_cli.cli.root, "report_internal_error", _raise)
    path = tmp_path / "projects.toml"
    return lambda content: assert_survives(sanshi, path, content)


def test_the_sample_itself_survives(fuzz: Callable[[bytes], None]) -> None:
    fuzz(SAMPLE_BYTES)


def test_an_internal_error_fails_the_property(fuzz: Callable[[bytes], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """The property cannot pass by accident: a crash in the loader escapes the in-process run."""
    import sanshi_cli.loading

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sanshi_cli.loading, "validate_portfolio", crash)
    with pytest.raises(RuntimeError, match="boom"):
        fuzz(SAMPLE_BYTES)


def test_an_internal_error_is_exit_3_outside_the_fuzz(
    sanshi: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the fuzz fixture's hook a crash is exit 3, which the property also refuses."""
    import sanshi_cli.loading

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(sanshi_cli.loading, "validate_portfolio", crash)
    monkeypatch.setenv("SANSHI_DEBUG", "1")
    with pytest.raises(AssertionError, match="exit 3"):
        assert_survives(sanshi, Path("projects.toml"), SAMPLE_BYTES)


@_settings(60)
@given(content=st.binary(max_size=2000))
def test_random_bytes(fuzz: Callable[[bytes], None], content: bytes) -> None:
    fuzz(content)


@_settings(80)
@given(text=mutated_text())
def test_mutated_text(fuzz: Callable[[bytes], None], text: str) -> None:
    fuzz(text.encode("utf-8", "surrogatepass"))


@_settings(80)
@given(text=mutated_data())
def test_mutated_tables(fuzz: Callable[[bytes], None], text: str) -> None:
    fuzz(text.encode("utf-8", "surrogatepass"))


# -- the long campaign: pytest -m fuzz_long (SANSHI_FUZZ_EXAMPLES per source, default 5000) ----------


@pytest.mark.fuzz_long
@_settings(LONG_EXAMPLES)
@given(content=st.one_of(st.binary(max_size=4000), mutated_text().map(str.encode)))
def test_long_bytes_and_text(fuzz: Callable[[bytes], None], content: bytes) -> None:
    fuzz(content)


@pytest.mark.fuzz_long
@_settings(LONG_EXAMPLES)
@given(text=mutated_data())
def test_long_tables(fuzz: Callable[[bytes], None], text: str) -> None:
    fuzz(text.encode("utf-8", "surrogatepass"))


# -- what the campaigns found: each crash, its smallest input and the line sanshi prints now ------------


def test_an_integer_too_long_for_python_is_a_located_error(sanshi: Callable[..., Result], write_toml: Any) -> None:
    """Python refuses an int of more than 4,300 digits; the reader's ValueError was a crash."""
    path = write_toml("[settings]\ntitle = 'x'\n\n[alerts]\nrepeat_days = " + "1" * 4301 + "\n")
    for lang, expected in (
        ("zh", "projects.toml:5: 错误：数字位数太多，无法读取：请写成 18 位以内的整数\n"),
        ("en", "projects.toml:5: error: a number too long to read: write a whole number of at most 18 digits\n"),
    ):
        result = sanshi("check", "-f", path.name, "--lang", lang)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", expected)


def test_an_empty_after_is_an_unknown_milestone(sanshi: Callable[..., Result], write_toml: Any) -> None:
    """``after = ""`` passed the reference check (an empty string is false) and crashed on the missing date."""
    from tests.conftest import MINIMAL

    path = write_toml(MINIMAL.replace('after = "permits"', 'after = ""'))
    expected = (
        "projects.toml:28: error: project civic-center, milestone start, key after: "
        "unknown milestone '': use an id defined in [[projects.milestones]] (civic-center)\n"
    )
    for command in (("check",), ("status", "--as-of", "2026-11-27")):
        result = sanshi(*command, "-f", path.name, "--lang", "en")
        assert (result.exit_code, result.stderr) == (2, expected)


# -- every error renders, whatever its parameters ----------------------------------------------------


class _Unprintable:
    """A value whose every conversion to text raises."""

    def __str__(self) -> str:
        raise RuntimeError("no text")

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        raise RuntimeError("no text")


HOSTILE: list[object] = [
    None,
    "",
    "x" * 100_000,
    "{",
    "}",
    "{0}",
    "{value}",
    "{value.__class__}",
    "{0[0]}",
    "%s",
    "\x1b[31m\r\n\x00\x9b\u202e",
    3.5,
    float("nan"),
    -1,
    10**5000,  # str() of it raises ValueError
    True,
    object(),
    b"\xff",
    [1, "{"],
    {"a": "}"},
    date(1, 1, 1),
    Path("/nowhere"),
    OSError(13, "Permission denied"),
    _Unprintable(),
]


def _message_params(key: str) -> set[str]:
    import string

    from sanshi_cli.i18n import MESSAGES

    names = set()
    for template in MESSAGES[key]:
        for _, name, _, _ in string.Formatter().parse(template):
            if name:
                names.add(name.split(".")[0].split("[")[0])
    return names


def _all_message_keys() -> list[str]:
    from sanshi_cli.i18n import MESSAGES

    return sorted(MESSAGES)


@pytest.mark.parametrize("key", _all_message_keys())
def test_every_message_renders_in_both_languages_with_hostile_parameters(key: str) -> None:
    from sanshi_cli.errors import Msg, Problem
    from sanshi_cli.i18n import format_problem

    names = _message_params(key)
    values = [*HOSTILE, Msg("no_such_message"), Msg(key, {name: None for name in names})]
    for lang in ("zh", "en"):
        for value in values:
            problem = Problem(key, dict.fromkeys(names, value), "{path}", 7, "{", "}", "{0}", ("no_such_kind", "{"))
            line = format_problem(problem, lang, "warning")
            assert isinstance(line, str) and line.startswith("{path}:7: ")


def _error_classes() -> list[type[Exception]]:
    import sanshi_cli.alerting  # noqa: F401  (its errors subclass SanshiError too)
    from sanshi_cli.errors import SanshiError

    found: list[type[Exception]] = []
    todo: list[type[Exception]] = [SanshiError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_error_class_raised_in_a_command_is_one_line_per_problem_and_exit_2(
    cls: type[Exception],
    lang: str,
    sanshi: Callable[..., Result],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A SanshiError of any class, with any message and parameters, reaches the user as lines, not a traceback.

    The exit code is the class's own: 2 (the user's input), or 1 for :class:`~sanshi_cli.errors.Busy`.
    """
    import sanshi_cli.loading
    from sanshi_cli.errors import Problem

    keys = _all_message_keys()
    problems = [
        Problem(keys[i % len(keys)], dict.fromkeys(_message_params(keys[i % len(keys)]), value), f"f{i}.toml", i)
        for i, value in enumerate(HOSTILE)
    ]

    def fail(*args: object, **kwargs: object) -> None:
        raise cls(problems)

    monkeypatch.setattr(sanshi_cli.loading, "load_portfolio", fail)
    monkeypatch.setenv("SANSHI_NO_CACHE", "1")  # the full load is what fails here, not the parse cache
    for command in (("check",), ("status", "--as-of", "2026-11-27")):
        result = sanshi(*command, "-f", "projects.toml", "--lang", lang)
        assert result.exit_code == getattr(cls, "exit_code", 2)
        assert "Traceback" not in result.stderr
        assert [line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("f")] == [
            f"f{i}.toml" for i in range(len(HOSTILE))
        ]


def _chain(first_due: str, offset: str, length: int) -> str:
    """MINIMAL's project with ``length`` milestones, each counted from the one before it."""
    from tests.conftest import MINIMAL

    head = MINIMAL[: MINIMAL.index("  [[projects.milestones]]")]
    parts = [head, f'  [[projects.milestones]]\n  id = "m0"\n  name = "n"\n  due = {first_due}\n']
    parts += [
        f'  [[projects.milestones]]\n  id = "m{i}"\n  name = "n"\n  after = "m{i - 1}"\n  offset = "{offset}"\n'
        for i in range(1, length)
    ]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("first_due", "offset", "length", "expected"),
    [
        # the smallest case: one day before the first date a plan may hold
        ("1990-01-01", "-1d", 2, "1989-12-31"),
        # each offset is valid, the chain is not: it used to run past year 1 (ValueError, OverflowError)
        ("1990-01-01", "-120m", 205, "1980-01-01"),
        ("1990-01-01", "-2600wd", 205, "1980-01-14"),
        ("2199-12-31", "120m", 790, "2209-12-31"),
    ],
)
@pytest.mark.parametrize("command", [("check",), ("status", "--as-of", "2026-11-27")])
def test_a_chain_of_offsets_out_of_the_plan_years_is_one_located_error(
    sanshi: Callable[..., Result],
    write_toml: Any,
    first_due: str,
    offset: str,
    length: int,
    expected: str,
    command: tuple[str, ...],
) -> None:
    path = write_toml(_chain(first_due, offset, length))
    result = sanshi(*command, "-f", path.name, "--lang", "en")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"projects.toml:30: error: project civic-center, milestone m1, key offset: counted from its anchor, "
        f"the due date {expected} is not between 1990-01-01 and 2199-12-31: check the offsets along this chain of milestones\n"
    )


def test_a_counted_date_out_of_the_plan_years_in_chinese(sanshi: Callable[..., Result], write_toml: Any) -> None:
    path = write_toml(_chain("1990-01-01", "-1d", 2))
    result = sanshi("check", "-f", path.name)
    assert (result.exit_code, result.stderr) == (
        2,
        "projects.toml:30: 错误：项目 civic-center，节点 m1，键 offset：按 after 和 offset 推算出的日期 1989-12-31 "
        "不在 1990-01-01 至 2199-12-31 之间：请检查这一串节点的 offset\n",
    )


def test_a_header_written_inside_a_multi_line_string_is_text_not_a_table(
    sanshi: Callable[..., Result], write_toml: Any
) -> None:
    """The line scan took ``[[projects]]`` inside a multi-line title for a header: the wrong line."""
    from tests.conftest import MINIMAL

    text = '[settings]\ntitle = """\n[[projects]]\nleader = 5\n"""\n' + MINIMAL.replace(
        'leader = "leader-a"', "leader = 5"
    )
    path = write_toml(text)
    result = sanshi("check", "-f", path.name, "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2,
        "projects.toml:19: error: project civic-center, key leader: invalid value 5: expected quoted text\n",
    )


def test_a_dotted_key_is_located(sanshi: Callable[..., Result], write_toml: Any) -> None:
    """``alerts.repeat_days = "x"`` at the top: the line scan knew only plain keys, so no line was named."""
    from tests.conftest import MINIMAL

    path = write_toml('alerts.repeat_days = "x"\nsettings . title = 5\n' + MINIMAL)
    result = sanshi("check", "-f", path.name, "--lang", "en")
    assert (result.exit_code, result.stderr) == (
        2,
        'projects.toml:1: error: key alerts.repeat_days: invalid value "x": expected a whole number\n'
        "projects.toml:2: error: key settings.title: invalid value 5: expected quoted text\n",
    )
