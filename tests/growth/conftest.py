import pytest

from billing.models import Plan

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def pro_plan(db) -> Plan:
    return Plan.objects.get(code="pro")


@pytest.fixture
def browser_ua() -> str:
    return BROWSER
