"""The suite's own rules: the test people are defined once, and test modules share helpers through
helper modules, never through each other.

Importing a test module runs its collection side effects twice and ties two apps' tests together;
what several tests need belongs in a helper module (tests/concurrency.py, tests/billing/stripe_events.py …).
A second definition of a test person silently gives one app's tests a different team than another's.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PEOPLE = {
    "creator", "team", "team_admin", "admin_member", "editor", "teammate", "viewer", "team_viewer", "outsider", "staff",
    "client_for", "api_client_for", "creator_client", "outsider_client", "staff_client", "api_client", "creator_api",
    "outsider_api",
}  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            # `from tests.billing import test_stripe` names the module in the imported names.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def is_test_module(name: str) -> bool:
    return name.rsplit(".", 1)[-1].startswith("test_")


def test_no_test_module_imports_another_test_module():
    offenders = {
        str(path.relative_to(TESTS.parent)): sorted(filter(is_test_module, imported_modules(path)))
        for path in sorted(TESTS.rglob("test_*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_every_kind_of_import(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "import tests.teams.test_teams\n"
        "from tests.billing.test_stripe import invoice\n"
        "from tests.billing import test_stripe\n"
        "from .test_sibling import helper\n"
        "from tests.concurrency import run_while_first_holds_the_lock\n"
    )
    assert set(filter(is_test_module, imported_modules(module))) == {
        "tests.teams.test_teams",
        "tests.billing.test_stripe",
        ".test_sibling",
    }


def defined_fixtures(path: Path) -> set[str]:
    """Names of the functions in a module that are decorated as pytest fixtures."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in {"pytest.fixture", "fixture"}:
                    names.add(node.name)
    return names


def test_the_people_and_their_clients_are_defined_only_in_the_root_conftest():
    root = TESTS / "conftest.py"
    assert defined_fixtures(root) >= PEOPLE
    redefined = {
        str(path.relative_to(TESTS.parent)): sorted(PEOPLE & defined_fixtures(path))
        for path in sorted(TESTS.rglob("*.py"))
        if path != root
    }
    assert {path: names for path, names in redefined.items() if names} == {}
