from sanshi_cli.cli import app  # noqa: F401


def test_status_on_sample(sanshi):
    from tests.conftest import SAMPLE

    r = sanshi("status", "-f", str(SAMPLE), "--as-of", "2026-11-27")
    assert r.exit_code == 0
    assert "红灯" in r.stdout
    assert "2027" in r.stderr
