"""Helpers for the teams tests; the people around the creator's team live in tests/conftest.py."""

import re


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
