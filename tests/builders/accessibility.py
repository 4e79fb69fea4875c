"""axe-core checks for browser tests: `assert_accessible(page)` runs Deque's axe-core (vendored in the
axe-playwright-python package, injected through Playwright, so the page's CSP is not loosened) and fails with
each serious or critical violation named, the rule, its help text and the first elements it found.
"""

from axe_playwright_python.sync_playwright import Axe

SERIOUS = ("serious", "critical")


def violations(page, context=None) -> list[dict]:
    """The serious and critical axe-core violations on the page as it is now (or within `context`, a selector)."""
    results = Axe().run(page, context=context)
    return [v for v in results.response["violations"] if v.get("impact") in SERIOUS]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {targets})")
    return "\n".join(lines)


def assert_accessible(page, context=None) -> None:
    found = violations(page, context)
    assert not found, "axe-core found serious or critical violations:\n" + describe(found)
