"""Billing's import direction: the services call the providers, never the other way round."""

import ast
from pathlib import Path

import billing.providers


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
    return modules


def test_no_payment_provider_imports_the_billing_services():
    for path in Path(billing.providers.__file__).parent.glob("*.py"):
        imported = _imported_modules(path)
        assert not {m for m in imported if m == "billing.services" or m.startswith("billing.services.")}, path.name
