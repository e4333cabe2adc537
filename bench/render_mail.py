#!/usr/bin/env python3
"""Render the bundled sample's alert e-mails to HTML and PNG, at a desk's and a phone's width.

    /work/main/.venv/bin/python bench/render_mail.py [--out DIR] [--widths 1100,390] [--html-only]

Every message ``sanshi alert`` would send for data/projects.toml as of 2026-11-27 (each unit,
each lead official and the PMO digest; Chinese and English) is built exactly as it would be
sent, its HTML part saved as ``NN-RECIPIENT-LANG.html``, then photographed by headless Chromium
at each width (``…-1100.png``, ``…-390.png``) with the page's full height. ``index.html`` shows
them side by side. The folder (default bench/out/mail/, gitignored) is printed at the end.

Chromium and the CJK fonts come from Debian (``chromium``, ``fonts-noto-cjk``); when either is
missing the script installs them with apt-get (as root, or through sudo). Neither is needed by
the tests or ``.ci/run``.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SAMPLE = ROOT / "data" / "projects.toml"
AS_OF = date(2026, 11, 27)
PACKAGES = ("chromium", "fonts-noto-cjk")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- the messages -----------------------------------------------------------------------------


def render_html(out: Path) -> list[Path]:
    """Write the HTML part of every message of the sample, both languages; return the files."""
    sys.path.insert(0, str(ROOT / "src"))
    from sanshi_cli.alerting import Sender, State, file_stem, find_alerts
    from sanshi_cli.loading import load_portfolio
    from sanshi_cli.mailing import build_message

    loaded = load_portfolio(SAMPLE)
    settings = loaded.portfolio.settings
    now = datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo(settings.timezone))
    sender = Sender("高新区指挥部办公室", "sanshi@example.gov.cn")
    plan = find_alerts(loaded, AS_OF, State())
    written = []
    for lang in ("zh", "en"):
        title = settings.title or ("重点项目" if lang == "zh" else "Key projects")
        for n, alert in enumerate(plan.alerts, start=1):
            message = build_message(alert, sender=sender, lang=lang, title=title, as_of=AS_OF, now=now)
            part = message.get_body(("html",))
            assert part is not None
            path = out / f"{n:02d}-{file_stem(alert.recipient)}-{lang}.html"
            path.write_text(part.get_content(), encoding="utf-8")
            written.append(path)
    return written


# -- Chromium ---------------------------------------------------------------------------------


def missing_packages() -> list[str]:
    missing = []
    if shutil.which("chromium") is None:
        missing.append("chromium")
    if not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists():
        missing.append("fonts-noto-cjk")
    return missing


def install(packages: list[str]) -> None:
    """apt-get install what is missing (root, or sudo); stop with the command to run otherwise."""
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            sys.exit(f"missing {', '.join(packages)}: run as root: apt-get install {' '.join(packages)}")
        prefix = ["sudo"]
    if shutil.which("apt-get") is None:
        sys.exit(f"missing {', '.join(packages)} and no apt-get here: install them by hand")
    log(f"installing {' '.join(packages)} with apt-get …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True, env=env
    )


def chromium(args: list[str], timeout: float = 120) -> str:
    """Run headless Chromium once, with a fresh profile; return its stdout."""
    with tempfile.TemporaryDirectory(prefix="sanshi-chromium-") as profile:
        command = ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout


def page_size(page: Path, width: int, scratch: Path) -> tuple[int, int]:
    """How far right the page's content reaches, and its full height, laid out ``width`` pixels wide.

    ``--dump-dom`` does not honour a window narrower than 500 pixels, so the probe fixes the
    root element's width instead.
    """
    probe = scratch / f"probe-{width}-{page.name}"
    root = "document.documentElement"
    edges = "Array.from(document.body.querySelectorAll('*'), e => e.getBoundingClientRect().right)"
    right = f"Math.ceil(Math.max(0, ...{edges}))"
    size = f"{right} + 'x' + {root}.scrollHeight"
    script = f"<script>{root}.style.width = '{width}px'; document.title = 'size=' + {size}</script>"
    probe.write_text(page.read_text("utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    dom = chromium(["--dump-dom", f"--window-size={width},200", probe.as_uri()])
    start = dom.find("<title>size=")
    if start < 0:
        return width, 2000
    found = dom[start + len("<title>size=") : dom.index("</title>", start)]
    wide, high = found.split("x")
    return int(wide), int(high)


def screenshot(page: Path, width: int, scratch: Path) -> Path:
    """A PNG of the whole page; a warning when something is wider than the window."""
    png = page.with_name(f"{page.stem}-{width}.png")
    content_width, height = page_size(page, width, scratch)
    if content_width > width:
        log(f"warning: {page.name} is {content_width} px wide in a {width} px window")
    chromium([f"--screenshot={png}", f"--window-size={width},{height + 8}", page.as_uri()])
    return png


def write_index(out: Path, pages: list[Path], widths: list[int]) -> Path:
    rows = []
    for page in pages:
        shots = "".join(
            f'<td style="vertical-align:top;padding:8px"><img src="{html.escape(page.stem)}-{w}.png" '
            f'width="{w // 2}" style="border:1px solid #ccc"></td>'
            for w in widths
        )
        rows.append(f'<tr><th colspan="{len(widths)}" style="text-align:left">{html.escape(page.name)}</th></tr>')
        rows.append(f"<tr>{shots}</tr>")
    index = out / "index.html"
    index.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><title>sanshi alert e-mails</title><table>' + "".join(rows) + "</table>",
        encoding="utf-8",
    )
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "mail", help="folder for the files")
    parser.add_argument("--widths", default="1100,390", help="comma-separated widths in pixels")
    parser.add_argument("--html-only", action="store_true", help="write the HTML, take no screenshots")
    options = parser.parse_args()
    widths = [int(w) for w in options.widths.split(",")]
    out: Path = options.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.html"), *out.glob("*.png")]:
        old.unlink()
    pages = render_html(out)
    log(f"{len(pages)} messages written as HTML")
    if not options.html_only:
        missing = missing_packages()
        if missing:
            install(missing)
        with tempfile.TemporaryDirectory(prefix="sanshi-render-") as scratch:
            for page in pages:
                for width in widths:
                    png = screenshot(page, width, Path(scratch))
                    log(f"  {png.name}")
        write_index(out, pages, widths)
    print(out)


if __name__ == "__main__":
    main()
