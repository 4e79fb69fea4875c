"""The domain core (time, e-mail building, calendar, scheduler, recommender) loads no web or database
framework, so the command lines and benchmarks run without a request or a database."""

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "matchmaker"
FORBIDDEN = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf", "werkzeug", "sqlalchemy")


@pytest.mark.parametrize("package", ["domain", "calendar", "scheduling", "matching", "reports"])
def test_domain_package_loads_no_web_framework(package):
    modules = sorted(
        f"matchmaker.{package}" + ("" if p.stem == "__init__" else f".{p.stem}")
        for p in (PACKAGE / package).glob("*.py")
        if p.stem != "__main__"  # running it would start the command line
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", f"matchmaker.{package} loads {result.stdout.strip()}"
