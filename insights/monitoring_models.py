"""Request timings, staff-entered costs, alert rules and their episodes (the health score and alerts)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Upper bounds (ms) of the latency histogram's buckets; the last bucket is everything slower.
# Percentiles are read from these buckets: a p95 of "500" means "at most 500 ms".
BUCKET_BOUNDS_MS: tuple[float, ...] = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
BUCKET_FIELDS: tuple[str, ...] = tuple(f"b{i}" for i in range(len(BUCKET_BOUNDS_MS) + 1))


class RouteTiming(models.Model):
    """Requests of one route and method in one period (REQUEST_TIMING_PERIOD_SECONDS): a count, the
    server errors among them, the summed time and a fixed-bucket latency histogram."""

    route = models.CharField(_("route"), max_length=200)
    method = models.CharField(_("method"), max_length=10)
    period_start = models.DateTimeField(_("period start"))
    count = models.PositiveIntegerField(_("requests"), default=0)
    error_count = models.PositiveIntegerField(_("server errors"), default=0)
    total_ms = models.FloatField(_("total time (ms)"), default=0)
    b0 = models.PositiveIntegerField("≤ 5 ms", default=0)
    b1 = models.PositiveIntegerField("≤ 10 ms", default=0)
    b2 = models.PositiveIntegerField("≤ 25 ms", default=0)
    b3 = models.PositiveIntegerField("≤ 50 ms", default=0)
    b4 = models.PositiveIntegerField("≤ 100 ms", default=0)
    b5 = models.PositiveIntegerField("≤ 250 ms", default=0)
    b6 = models.PositiveIntegerField("≤ 500 ms", default=0)
    b7 = models.PositiveIntegerField("≤ 1 s", default=0)
    b8 = models.PositiveIntegerField("≤ 2.5 s", default=0)
    b9 = models.PositiveIntegerField("≤ 5 s", default=0)
    b10 = models.PositiveIntegerField("≤ 10 s", default=0)
    b11 = models.PositiveIntegerField("> 10 s", default=0)

    class Meta:
        verbose_name = _("route timing")
        # Its admin page is the monitoring page: health score, uptime, slowest routes, open alerts.
        verbose_name_plural = _("monitoring: health score and slowest routes")
        ordering = ["-period_start", "route"]
        constraints = [
            models.UniqueConstraint(fields=["route", "method", "period_start"], name="insights_routetiming_unique")
        ]
        # Every read (slowest routes, error rate, p95 alerts, pruning) is a range of periods.
        indexes = [models.Index(fields=["period_start"], name="insights_routetiming_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.route} @ {self.period_start:%Y-%m-%d %H:%M}"


class DailyCost(models.Model):
    """What running the product cost on one day (hosting, e-mail, storage …), entered by staff."""

    day = models.DateField(_("day"), unique=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("daily cost")
        verbose_name_plural = _("daily costs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.amount_cents / 100:.2f}"


class AlertRule(models.Model):
    """One of the alert rules (`insights.alerts.RULES` knows how to measure each key)."""

    class Key(models.TextChoices):
        PAYMENT_FAILURES = "payment_failures", _("Payment failures")
        SIGNUP_SPIKE = "signup_spike", _("Signup spike")
        DAU_DECLINE = "dau_decline", _("Daily active users decline")
        LATENCY_P95 = "latency_p95", _("p95 latency")
        ERROR_RATE = "error_rate", _("Error rate")
        DB_CONNECTIONS = "db_connections", _("Database connections")
        CONVERSION_DROP = "conversion_drop", _("Conversion drop")
        DAILY_COST = "daily_cost", _("Daily cost")

    class Severity(models.TextChoices):
        P0 = "P0", "P0"
        P1 = "P1", "P1"
        P2 = "P2", "P2"
        P3 = "P3", "P3"
        INFO = "info", _("info")

    key = models.CharField(_("rule"), max_length=40, choices=Key.choices, unique=True)
    severity = models.CharField(_("severity"), max_length=4, choices=Severity.choices)
    threshold = models.FloatField(_("threshold"))
    window_minutes = models.PositiveIntegerField(_("window (minutes)"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(self.get_key_display())


class AlertEpisode(models.Model):
    """One firing of a rule, from the evaluation that found its condition true to the one that found
    it clear. At most one episode per rule is open: that is what makes an alert fire once."""

    rule = models.ForeignKey(AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="episodes")
    severity = models.CharField(_("severity"), max_length=4, choices=AlertRule.Severity.choices)
    title = models.CharField(_("title"), max_length=300)
    value = models.FloatField(_("measured value"))
    threshold = models.FloatField(_("threshold"))
    started_at = models.DateTimeField(_("started"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    last_value = models.FloatField(_("last measured value"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert episode")
        verbose_name_plural = _("alert episodes")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule"], condition=Q(resolved_at__isnull=True), name="insights_alert_one_open_per_rule"
            )
        ]
        indexes = [models.Index(fields=["started_at"], name="insights_alertepisode_at")]

    def __str__(self) -> str:
        return self.title

    @property
    def time_to_resolve(self):
        return self.resolved_at - self.started_at if self.resolved_at else None


class RetrospectiveSend(models.Model):
    """The weekly retrospective of one week was e-mailed: the fence that keeps a second beat, a retry
    or a rerun of the command from mailing staff twice."""

    week_start = models.DateField(_("week start"), unique=True)
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("retrospective sent")
        verbose_name_plural = _("retrospectives sent")
        ordering = ["-week_start"]

    def __str__(self) -> str:
        return f"{self.week_start}"
