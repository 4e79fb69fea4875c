"""The shape of the code, read from the source (issue #13): no import circle among matchmaker's modules, imports that
point down the layers, no module over 300 lines, an import inside a function says why, services never commit, views
leave committing and refusals to matchmaker.web, jobs are passed as functions, tests use no private name of the code.

Nothing here is a list of known results: each test parses the files as they are and names what breaks its rule."""

import ast
import io
import re
import sys
import tokenize
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "matchmaker"
TESTS = ROOT / "tests"
MAX_LINES = 300

# Imports point down: a module of one rank never imports (even inside a function) a module of a higher rank.
# Modules of no rank here (configuration, translations, access helpers…) sit beside the layers.
RANKS = [
    ("the domain core", ("domain", "calendar", "scheduling", "matching", "reports")),
    ("the data", ("enums", "database", "extensions", "models")),
    ("the services and the jobs", ("services", "jobs", "tasks")),  # services ask for tasks, tasks call services
    ("the views", ("web", "health", "auth", "admin", "events", "profiles", "main", "meetings", "staff",
                   "consent", "api")),
    ("the top: the app factory, the worker, the command line", ("", "worker", "cli", "privacy")),
]
JOB_ARGUMENT = {"enqueue": 0, "enqueue_after_commit": 0, "enqueue_at": 1}  # where the job goes in each call


@pytest.fixture(autouse=True)
def _clean_state():
    """These tests read files only: no app and no database (conftest's fixture of this name would build them)."""
    yield


# --- reading the source --------------------------------------------------------------------------------------------

@cache
def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name, not `….__init__`)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The matchmaker modules an import statement in `module` loads: `from pkg import name` is `pkg.name` when that
    is a module, else `pkg`; relative imports are resolved against `module`."""
    known = modules()
    if isinstance(node, ast.Import):
        found = []
        for alias in node.names:
            parts = alias.name.split(".")
            while parts and ".".join(parts) not in known:
                parts.pop()
            if parts:
                found.append(".".join(parts))
        return found
    base = node.module or ""
    if node.level:
        here = module.split(".") if known[module].name == "__init__.py" else module.split(".")[:-1]
        here = here[:len(here) - (node.level - 1)]
        base = ".".join(here + ([base] if base else []))
    found = []
    for alias in node.names:
        if f"{base}.{alias.name}" in known:
            found.append(f"{base}.{alias.name}")
        elif base in known:
            found.append(base)
    return found


def module_level_imports(body: list[ast.stmt]):
    """The imports run when the module is loaded: at its top, in top-level if/try/with blocks and class bodies, but
    not under `if TYPE_CHECKING:` (never run) nor inside functions."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            test = node.test
            if getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING":
                yield from module_level_imports(node.orelse)
                continue
            yield from module_level_imports(node.body)
            yield from module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from module_level_imports(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from module_level_imports(node.body)


def import_graph() -> dict[str, dict[str, int]]:
    """Module → {module it imports when loaded: the line of the first such import}."""
    graph = {}
    for name, path in modules().items():
        edges = {}
        for node in module_level_imports(tree(path).body):
            for target in imported(name, node):
                if target != name:
                    edges.setdefault(target, node.lineno)
        graph[name] = edges
    return graph


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph) + 100))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def functions(module: ast.Module):
    return [node for node in ast.walk(module) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def calls(path: Path):
    return [node for node in ast.walk(tree(path)) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str | None:
    """`f` for `f(…)` and for `x.y.f(…)`."""
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def commented_lines(path: Path) -> set[int]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    return {token.start[0] for token in tokens if token.type == tokenize.COMMENT}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


# --- the rules ------------------------------------------------------------------------------------------------------

def test_no_import_circle_among_matchmaker_modules():
    graph = import_graph()
    found = circles(graph)
    report = []
    for component in found:
        members = set(component)
        edges = [f"{a} → {b} ({relative(modules()[a])}:{line})"
                 for a in component for b, line in sorted(graph[a].items()) if b in members]
        report.append(" ⟲ ".join(component) + "\n      " + "\n      ".join(edges))
    assert not found, "import circles among module-level imports:\n  " + "\n  ".join(report)


def rank_of(module: str) -> int | None:
    """The rank of a module by its top package under matchmaker ("" for the package itself, the app factory)."""
    top = module.split(".")[1] if "." in module else ""
    return next((rank for rank, (_, names) in enumerate(RANKS) if top in names), None)


def test_imports_point_down_the_layers():
    upward = []
    for name, path in modules().items():
        rank = rank_of(name)
        if rank is None:
            continue
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in imported(name, node):
                    target_rank = rank_of(target)
                    if target_rank is not None and target_rank > rank:
                        upward.append(f"{relative(path)}:{node.lineno}: {name} ({RANKS[rank][0]}) imports {target} "
                                      f"({RANKS[target_rank][0]})")
    assert not upward, "imports that climb back up:\n  " + "\n  ".join(upward)


def test_no_module_over_300_lines():
    long = [f"{relative(path)}: {count} lines" for path in modules().values()
            if (count := len(path.read_text().splitlines())) > MAX_LINES]
    assert not long, f"modules over {MAX_LINES} lines:\n  " + "\n  ".join(long)


def function_imports_of_matchmaker(name: str, path: Path):
    """The imports of matchmaker modules inside functions of a module, each with the run of consecutive import
    statements it belongs to (one comment above a run of imports covers the run)."""
    seen = set()
    for function in functions(tree(path)):
        for holder in ast.walk(function):
            for field in ("body", "orelse", "finalbody"):
                run_start = None
                previous_end = None
                statements = getattr(holder, field, None)
                for node in statements if isinstance(statements, list) else []:
                    if not isinstance(node, ast.Import | ast.ImportFrom):
                        run_start = None
                        continue
                    if run_start is None or node.lineno != previous_end + 1:
                        run_start = node.lineno
                    previous_end = node.end_lineno
                    if id(node) not in seen and imported(name, node):
                        seen.add(id(node))
                        yield function, node, run_start


def test_imports_inside_functions_say_why():
    silent = []
    for name, path in modules().items():
        comments = commented_lines(path)
        lines = path.read_text().splitlines()
        for function, node, run_start in function_imports_of_matchmaker(name, path):
            on_the_line = any(line in comments for line in range(node.lineno, node.end_lineno + 1))
            above = lines[run_start - 2].strip().startswith("#") if run_start > 1 else False
            if not (on_the_line or above):
                silent.append(f"{relative(path)}:{node.lineno}: in {function.name}(): "
                              f"{ast.get_source_segment(path.read_text(), node)}")
    assert not silent, ("imports inside functions without a comment (on the line or just above) saying why they "
                        "are not at the top:\n  " + "\n  ".join(silent))


def test_services_never_commit():
    commits = [f"{relative(path)}:{call.lineno}"
               for path in python_files(PACKAGE / "services") for call in calls(path)
               if isinstance(call.func, ast.Attribute) and call.func.attr == "commit"]
    assert not commits, "services commit (their caller does: matchmaker.web.perform, a command, a job):\n  " + \
        "\n  ".join(commits)


def view_files() -> list[Path]:
    """Every module of the blueprint packages (the areas: a package with a module that makes a Flask blueprint).
    A blueprint module at the package's top is no area: health.py's probes hand their connection back themselves."""
    found = set()
    for name, path in modules().items():
        parts = name.split(".")
        if len(parts) > 2 and any(called_name(call) == "Blueprint" for call in calls(path)):
            found.update(python_files(PACKAGE / parts[1]))
    return sorted(found)


def error_classes() -> set[str]:
    """ServiceError and every class of the package derived from it, by name."""
    names = {"ServiceError"}
    classes = [node for path in modules().values() for node in ast.walk(tree(path)) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {getattr(base, "id", None) or getattr(base, "attr", None) for base in node.bases}
            if node.name not in names and bases & names:
                names.add(node.name)
                grew = True
    return names


def test_views_neither_commit_nor_roll_back_nor_catch_service_errors():
    views = view_files()
    assert any(path.parent.name == "staff" for path in views), "no blueprint found: the search is broken"
    refused = error_classes()
    found = []
    for path in views:
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("commit", "rollback"):
                found.append(f"{relative(path)}:{node.lineno}: .{node.func.attr}()")
            elif isinstance(node, ast.ExceptHandler) and node.type is not None:
                types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                caught = {getattr(t, "id", None) or getattr(t, "attr", None) for t in types} & refused
                if caught:
                    found.append(f"{relative(path)}:{node.lineno}: except {', '.join(sorted(caught))}")
    assert not found, ("views that commit, roll back or catch a service's refusal themselves (matchmaker.web.perform "
                       "does it):\n  " + "\n  ".join(found))


def test_jobs_are_passed_as_functions_not_strings():
    strings = []
    for path in python_files(PACKAGE):
        for call in calls(path):
            position = JOB_ARGUMENT.get(called_name(call))
            if position is None:
                continue
            job = call.args[position] if len(call.args) > position else \
                next((k.value for k in call.keywords if k.arg == "job"), None)
            if isinstance(job, ast.Constant) and isinstance(job.value, str):
                strings.append(f"{relative(path)}:{call.lineno}: {called_name(call)}({job.value!r}, …)")
    assert not strings, "jobs named by a string instead of passed as the function:\n  " + "\n  ".join(strings)


def module_aliases(module: ast.Module) -> dict[str, str]:
    """Names a test module binds to matchmaker modules: `import matchmaker.x as y`, `from matchmaker import config`,
    `from matchmaker.services import meetings as service`; a plain `import matchmaker.x` binds `matchmaker`."""
    known = modules()
    aliases = {}
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else "matchmaker"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if f"{node.module}.{alias.name}" in known:
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The matchmaker module an expression names (`service`, `matchmaker.services.meetings`), else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    name = ".".join([aliases[node.id], *parts])
    return name if name in modules() else None


PRIVATE_PATH = re.compile(r"^matchmaker(\.\w+)+$")


def test_tests_use_no_private_name_of_the_code():
    found = []
    for path in python_files(TESTS):
        module = tree(path)
        aliases = module_aliases(module)
        for node in ast.walk(module):
            where = f"{relative(path)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "matchmaker":
                found += [f"{where}: from {node.module} import {a.name}" for a in node.names if is_private(a.name)]
            elif isinstance(node, ast.Attribute) and is_private(node.attr) and \
                    (owner := dotted(node.value, aliases)):
                found.append(f"{where}: {owner}.{node.attr}")
            elif isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and \
                    isinstance(node.args[1].value, str) and is_private(node.args[1].value) and \
                    (owner := dotted(node.args[0], aliases)):
                found.append(f"{where}: {called_name(node)}({owner}, {node.args[1].value!r})")  # monkeypatch.setattr
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and PRIVATE_PATH.match(node.value):
                parts = node.value.split(".")
                if any(is_private(part) for part in parts) and ".".join(parts[:-1]) in modules():
                    found.append(f"{where}: {node.value!r}")
    assert not found, "tests reaching private names of the code (give what they need a public name):\n  " + \
        "\n  ".join(found)


def test_test_modules_have_names_of_their_own():
    """pytest imports test modules by their base name (the test folders are not packages): two of one name in
    different folders stop a whole run at collection ("import file mismatch")."""
    seen: dict[str, list[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        seen.setdefault(path.name, []).append(relative(path))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, "test modules sharing a name:\n  " + "\n  ".join(f"{n}: {p}" for n, p in clashes.items())
