"""API tokens: issued with a name and an expiry, revoked one by one or all at once."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from config.errors import DomainError
from config.throttling import person_rate_count
from teams.models import ApiTokenLabel, User

# A person's scripts and integrations each get their own token; more than this is a leak waiting.
MAX_TOKENS_PER_USER = 10
# The lifetimes offered, in days; a token never lives forever.
TOKEN_LIFETIME_DAYS = (7, 30, 90, 365)
DEFAULT_TOKEN_LIFETIME_DAYS = 90


def _count_token_write(user: User) -> None:
    # Counted here, in the services, so the settings page and the API (and the password exchange)
    # share one count, at the `api_tokens` rate (30 an hour).
    person_rate_count(scope="api_tokens", person_id=user.pk)


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "", lifetime_days: int = DEFAULT_TOKEN_LIFETIME_DAYS
) -> tuple[ApiTokenLabel, str]:
    """Issue a named token; returns it with its key, which is not stored and cannot be shown again."""
    if lifetime_days not in TOKEN_LIFETIME_DAYS:
        raise DomainError(_("Choose one of the offered lifetimes."), field="expires_in_days")
    _count_token_write(user)
    # The row lock makes two requests at once take turns, so neither passes the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    # Expired tokens no longer work: they are cleared away here rather than counted.
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    if AuthToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise DomainError(
            _("You already have %(count)d API tokens. Revoke one to create another.") % {"count": MAX_TOKENS_PER_USER},
            code="too_many_tokens",
        )
    token, key = AuthToken.objects.create(user=user, expiry=timedelta(days=lifetime_days))
    return ApiTokenLabel.objects.create(token=token, name=name.strip()), key


@transaction.atomic
def api_token_revoke(*, token: ApiTokenLabel) -> None:
    """Revoke one token: the next request with its key is refused."""
    _count_token_write(token.token.user)
    token.token.delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of the user (after a password change); returns how many."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted
