"""sanshi: keep a district's key construction projects (三十工程) on schedule.

The library's entry point is :func:`open_portfolio` (see :mod:`sanshi_cli.portfolio`)::

    from sanshi_cli import open_portfolio
    book = open_portfolio("data/projects.toml")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["PortfolioFile", "__version__", "open_portfolio"]

if TYPE_CHECKING:
    from sanshi_cli.portfolio import PortfolioFile, open_portfolio


def __getattr__(name: str) -> Any:
    """Import the library only when it is used: ``sanshi --version`` stays as quick as it was."""
    if name in ("open_portfolio", "PortfolioFile"):
        from sanshi_cli import portfolio

        return getattr(portfolio, name)
    raise AttributeError(f"module 'sanshi_cli' has no attribute {name!r}")
