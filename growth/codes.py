"""Referral codes and e-mail identities: pure functions, no database."""

import re
import secrets
import unicodedata

# No 0/O, 1/I/L: a code read aloud or copied by hand comes out right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# 31**8 ≈ 8.5e11 codes per prefix: unguessable by trying, still short enough to read out.
CODE_RANDOM_LENGTH = 8

# Providers that ignore dots in the local part, and domains that are aliases of one mailbox.
DOTLESS_DOMAINS = frozenset({"gmail.com"})
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def referral_code_new(name: str = "") -> str:
    """A fresh code like CORA-7K3Q-M9XT: up to four letters of the name, then 8 random characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    prefix = re.sub(r"[^A-Z]", "", ascii_name.upper())[:4] or "USER"
    random_part = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_RANDOM_LENGTH))
    return f"{prefix}-{random_part[:4]}-{random_part[4:]}"


def referral_code_clean(code: str) -> str:
    """What a person typed or a link carried, in the stored form (upper case, no spaces)."""
    return re.sub(r"\s+", "", code or "").upper()[:24]


def email_identity(email: str) -> str:
    """The mailbox behind an address: lower case, no +tag, no dots where the provider ignores them."""
    local, _at, domain = (email or "").strip().lower().rpartition("@")
    if not local:
        return domain
    domain = DOMAIN_ALIASES.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


# Crawlers, link-preview fetchers (the very apps the share buttons post to) and scripts.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|telegram|discord|slack|embedly|"
    r"curl|wget|python-|httpx|go-http|java/|okhttp|headless|phantom|lighthouse|monitor",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """Whether a request's User-Agent looks like a machine (an empty one does)."""
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


# Where a share link's code waits for the visitor to sign up: the session, and a signed cookie for a
# visitor who signs up in another session (a closed tab, a later day) on the same browser.
REFERRAL_SESSION_KEY = "referral_code"
REFERRAL_COOKIE = "vc_ref"
REFERRAL_COOKIE_SALT = "growth.referral"
REFERRAL_COOKIE_MAX_AGE = 30 * 24 * 3600
# A random id per browser, so a visit is counted once per browser.
VISITOR_COOKIE = "vc_vid"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600
