"""Validating a parsed project file into the models of :mod:`sanshi_cli.model`, with pydantic.

Only a file that is read in full (not from the parse cache) is validated, so pydantic is
imported here and nowhere on the way to a cache hit. The models' annotations name the types
below (``Int``, ``Day``, ``Field(ge=0)`` …); importing this module gives those names their
validating meaning in the models' namespace, where pydantic resolves annotations.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field, PlainValidator, TypeAdapter
from pydantic_core import PydanticCustomError

from sanshi_cli import model

T = TypeVar("T")

Id = Annotated[str, Field(min_length=1)]
Name = Annotated[str, Field(min_length=1)]
# Numbers and switches are strict: `true` is not 1, and "3" is not 3.
Int = Annotated[int, Field(strict=True)]
# Nor inf or nan, which TOML allows: they make no sum, no comparison and no valid JSON.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Bool = Annotated[bool, Field(strict=True)]


def _date_only(value: object) -> object:
    """A TOML date, or text such as "2026-04-30"; never a number read as a timestamp."""
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


Day = Annotated[date, BeforeValidator(_date_only)]


def _as_list(value: object) -> object:
    """``email = "a@b"`` and ``email = ["a@b", "c@d"]`` both mean a list of addresses."""
    return [value] if isinstance(value, str) else value


Emails = Annotated[list[str], BeforeValidator(_as_list)]


def _annual(value: object) -> float | dict[str, float]:
    """万元 for the as-of year, or a table by year: ``{ 2026 = 20000, 2027 = 35000 }``.

    Checked by hand rather than as a pydantic union, whose errors name each member of the union.
    """

    def amount(number: object) -> float:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise PydanticCustomError("float_type", "Input should be a valid number")
        if number != number or number in (float("inf"), float("-inf")):
            raise PydanticCustomError("finite_number", "Input should be a finite number")
        if number < 0:
            raise PydanticCustomError("greater_than_equal", "Input should be >= 0", {"ge": 0})
        return float(number)

    if isinstance(value, dict):
        by_year: dict[str, float] = {}
        for year, number in value.items():
            if not (isinstance(year, str) and len(year) == 4 and year.isascii() and year.isdigit()):
                raise PydanticCustomError("annual_year", "Keys should be years")
            by_year[year] = amount(number)
        return by_year
    return amount(value)


AnnualInvestment = Annotated[float | dict[str, float], PlainValidator(_annual)]

_MEANINGS: dict[str, Any] = {
    "Annotated": Annotated,
    "Field": Field,
    "Id": Id,
    "Name": Name,
    "Int": Int,
    "Number": Number,
    "Bool": Bool,
    "Day": Day,
    "Emails": Emails,
    "AnnualInvestment": AnnualInvestment,
}
vars(model).update(_MEANINGS)

_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def adapter(cls: type[T]) -> TypeAdapter[T]:
    """The validator of one table of the file (built once: building it is the costly part)."""
    found = _ADAPTERS.get(cls)
    if found is None:
        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found


PORTFOLIO = adapter(model.Portfolio)
