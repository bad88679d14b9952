"""The OpenAPI document is valid, and its docs UI is served without any CDN."""

import re

import pytest
import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    response = client.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]
    assert {"knoxApiToken", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_ui_loads_only_our_own_assets(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, "the docs page should load its UI assets"
    assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources
    for asset in sources:
        if asset.startswith("/static/"):
            assert client.get(asset).status_code == 200, asset
