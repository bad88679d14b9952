"""Which variant a person sees, for pages (template tag, view helper) and the API.

The decision is the hash (`growth.bucketing`): no database write decides it. A person who already
has an exposure keeps its variant (a visitor who signed up keeps what they saw before). Pages record
the exposure once, when they actually show the variant; staff can preview any variant with
`?exp_<key>=<variant key>`, which records nothing.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from growth.bucketing import variation_for
from growth.experiments_models import Experiment, ExperimentAssignment, ExperimentVariant

ANONYMOUS_COOKIE = "vc_visitor"
ANONYMOUS_COOKIE_MAX_AGE = 365 * 24 * 3600
FORCE_PARAMETER_PREFIX = "exp_"
CACHE_SECONDS = 60
_REQUEST_ATTRIBUTE = "_experiment_visitor_id"
_NEW_VISITOR_ATTRIBUTE = "_experiment_visitor_new"


@dataclass(frozen=True)
class LiveVariant:
    id: int
    key: str
    name: str
    weight: float


@dataclass(frozen=True)
class LiveExperiment:
    """What deciding a variant needs, small enough to cache."""

    id: int
    key: str
    seed: str
    status: str
    coverage: float
    variants: tuple[LiveVariant, ...]
    shipped_variant_id: int | None

    @property
    def control(self) -> LiveVariant:
        return self.variants[0]

    @property
    def weights(self) -> tuple[float, ...]:
        # Weights are relative in the admin; GrowthBook's ranges take shares that sum to 1.
        total = sum(v.weight for v in self.variants)
        return tuple(v.weight / total for v in self.variants) if total > 0 else ()

    def variant(self, key_or_id: str | int) -> LiveVariant | None:
        return next((v for v in self.variants if key_or_id in (v.key, v.id)), None)


def _cache_key(key: str) -> str:
    return f"growth:experiment:{key}"


def live_from_model(experiment: Experiment, variants: list[ExperimentVariant]) -> LiveExperiment | None:
    """The snapshot of an experiment and its variants (in position order); None without variants."""
    if not variants:
        return None
    return LiveExperiment(
        id=experiment.pk,
        key=experiment.key,
        seed=experiment.hash_seed,
        status=experiment.status,
        coverage=experiment.coverage,
        variants=tuple(LiveVariant(v.pk, v.key, v.name, v.weight) for v in sorted(variants, key=lambda v: v.position)),
        shipped_variant_id=experiment.shipped_variant_id,
    )


def experiment_live(key: str) -> LiveExperiment | None:
    """The experiment called `key` with its variants (cached briefly); None when it has none."""
    cached = cache.get(_cache_key(key))
    if cached is not None:
        return cached or None
    rows = list(ExperimentVariant.objects.filter(experiment__key=key).select_related("experiment").order_by("position"))
    live = live_from_model(rows[0].experiment, rows) if rows else None
    cache.set(_cache_key(key), live or False, CACHE_SECONDS)
    return live


def experiment_live_forget(key: str) -> None:
    """Drop the cached experiment after a change (called by the services once it commits)."""
    cache.delete(_cache_key(key))


@dataclass(frozen=True)
class Choice:
    variant: LiveVariant
    # Whether this person takes part and their exposure counts (not when shipped, stopped, outside
    # coverage or forced).
    counted: bool
    sticky: bool = False


def experiment_choose(experiment: LiveExperiment, *, hash_value: str, assigned_variant_id: int | None = None) -> Choice:
    """The variant for one person: the shipped one, their earlier one, else the hash's."""
    if experiment.status == Experiment.Status.SHIPPED and experiment.shipped_variant_id:
        shipped = experiment.variant(experiment.shipped_variant_id)
        if shipped is not None:
            return Choice(shipped, counted=False)
    if experiment.status != Experiment.Status.RUNNING or not experiment.weights:
        return Choice(experiment.control, counted=False)
    if assigned_variant_id is not None:
        earlier = experiment.variant(assigned_variant_id)
        if earlier is not None:
            return Choice(earlier, counted=True, sticky=True)
    index = variation_for(experiment.seed, hash_value, list(experiment.weights), experiment.coverage)
    if index < 0:
        return Choice(experiment.control, counted=False)
    return Choice(experiment.variants[index], counted=True)


def visitor_id(request: HttpRequest) -> str:
    """The visitor's anonymous id from our first-party cookie, made on first need."""
    existing = getattr(request, _REQUEST_ATTRIBUTE, None)
    if existing:
        return existing
    value = request.COOKIES.get(ANONYMOUS_COOKIE, "")
    if not (16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()):
        value = secrets.token_urlsafe(18)
        setattr(request, _NEW_VISITOR_ATTRIBUTE, True)
    setattr(request, _REQUEST_ATTRIBUTE, value)
    return value


def visitor_cookie_set(request: HttpRequest, response: HttpResponse) -> None:
    """Set the visitor cookie on the response when this request made a new id."""
    if getattr(request, _NEW_VISITOR_ATTRIBUTE, False):
        response.set_cookie(
            ANONYMOUS_COOKIE,
            getattr(request, _REQUEST_ATTRIBUTE),
            max_age=ANONYMOUS_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def _forced(request: HttpRequest, experiment: LiveExperiment) -> LiveVariant | None:
    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated and user.is_staff):
        return None
    wanted = request.GET.get(FORCE_PARAMETER_PREFIX + experiment.key)
    return experiment.variant(wanted) if wanted else None


def experiment_variant(request: HttpRequest, key: str, *, expose: bool = True) -> str:
    """The key of the variant this request's person sees in experiment `key`; records the exposure.

    An unknown experiment answers "" so a page keeps its default; call it only where the page
    really shows the variant.
    """
    memo: dict[str, str] = request.__dict__.setdefault("_experiment_variants", {})
    if key in memo:
        return memo[key]
    experiment = experiment_live(key)
    if experiment is None:
        memo[key] = ""
        return ""
    forced = _forced(request, experiment)
    if forced is not None:
        memo[key] = forced.key
        return forced.key
    user: Any = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    if experiment.status != Experiment.Status.RUNNING:
        choice = experiment_choose(experiment, hash_value="")
    elif user is not None:
        assigned = (
            ExperimentAssignment.objects.filter(experiment_id=experiment.id, user=user)
            .values_list("variant_id", flat=True)
            .first()
        )
        choice = experiment_choose(experiment, hash_value=str(user.pk), assigned_variant_id=assigned)
    else:
        choice = experiment_choose(experiment, hash_value=visitor_id(request))
    if expose and choice.counted and not choice.sticky:
        from growth.services.experiments import experiment_expose

        experiment_expose(
            experiment=experiment, variant=choice.variant, user=user, anonymous_id="" if user else visitor_id(request)
        )
    memo[key] = choice.variant.key
    return choice.variant.key
