"""`@mentions` in comment text: which members a comment speaks to.

Two spellings work:

* `@handle` — a member's e-mail local part (`@vera` for vera@example.com) or their display
  name slugified (`@vera-viewer` for “Vera Viewer”). Case does not matter; trailing
  punctuation ends the handle (`@vera,` and `@vera.` both mention vera).
* `@[Display Name]` — the member's display name (or e-mail address) in brackets, for names
  with spaces or characters a handle cannot hold.

An `@` inside a word is not a mention, so e-mail addresses in the text (`bob@example.com`) are
left alone. Only the given candidates can be mentioned — a team video's members, or the owner
of a personal video; anything else is ignored. A handle several candidates share mentions each
of them, since we cannot tell which one was meant.
"""

import re
from collections.abc import Iterable

from django.utils.text import slugify

from teams.models import User

MENTION_RE = re.compile(r"(?<![\w@.+-])@(?:\[([^\[\]\n]{1,120})\]|(\w[\w.+-]*))")
TRAILING = ".-+"


def mention_tokens(text: str) -> list[str]:
    """The raw names mentioned in the text, lower-cased, in order, without duplicates."""
    tokens: list[str] = []
    for match in MENTION_RE.finditer(text or ""):
        token = (match.group(1) or match.group(2).rstrip(TRAILING)).strip().casefold()
        if token and token not in tokens:
            tokens.append(token)
    return tokens


def handles_for(user: User) -> set[str]:
    """Every spelling that mentions this person."""
    handles = {user.email.casefold(), user.email.split("@", 1)[0].casefold()}
    if user.display_name:
        handles.add(user.display_name.strip().casefold())
        if slug := slugify(user.display_name):
            handles.add(slug)
    return handles


def handle_for(user: User) -> str:
    """How the autocomplete writes a mention of this person."""
    if user.display_name:
        return f"@[{user.display_name.strip()}]"
    return "@" + user.email.split("@", 1)[0]


def mentioned_users(text: str, *, candidates: Iterable[User]) -> list[User]:
    """The candidates the text mentions, each once, in the order of the candidates."""
    tokens = set(mention_tokens(text))
    if not tokens:
        return []
    return [user for user in candidates if handles_for(user) & tokens]
