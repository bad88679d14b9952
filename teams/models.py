import json
import zoneinfo
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from teams import encryption


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with their names in the active language (django-countries)."""
    return [(str(code), str(name)) for code, name in countries]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow your browser's language."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    # Guessed at signup from the browser's language region (pt-BR: Brazil), changed on the profile.
    country = models.CharField(
        _("country"), max_length=2, choices=country_choices, blank=True, default="", db_default=""
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Staff can sign in to the ops console.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # The unique index above is case-sensitive; people are not.
            models.UniqueConstraint(Lower("email"), name="teams_user_email_ci_unique"),
        ]
        indexes = [models.Index(fields=["date_joined"])]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def name(self) -> str:
        """What the interface calls this person."""
        return self.display_name or self.email.split("@", 1)[0]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class OutboundEmail(models.Model):
    """An e-mail that leaves the request: stored first, sent once by a Celery task.

    Its content (texts and headers) may carry live links (password resets, invitations), so it
    is stored encrypted (`teams.encryption`) and erased once the mail is sent; the row keeps who,
    what subject, which template, the status and the times.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    ENCRYPTION_PURPOSE = "outbox"

    to = models.JSONField(_("recipients"), default=list)
    from_email = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    sealed_content = models.TextField(editable=False, blank=True)
    kind = models.CharField(_("kind"), max_length=100, blank=True, help_text=_("The template that produced it."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The ops console, newest first (trigram and jsonb indexes for the subject and recipients
            # searches live in migration 0008, PostgreSQL only).
            models.Index(fields=["-created_at", "-id"], name="teams_outbox_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    def seal(self, *, text: str, html: str = "", headers: dict[str, str] | None = None) -> None:
        """Store the message's content encrypted (not saved yet)."""
        content = json.dumps({"text": text, "html": html, "headers": headers or {}})
        self.sealed_content = encryption.seal(content, purpose=self.ENCRYPTION_PURPOSE)

    def unseal(self) -> dict[str, Any]:
        """The stored content: `text`, `html` and `headers`; raises InvalidToken if unreadable."""
        return json.loads(encryption.unseal(self.sealed_content, purpose=self.ENCRYPTION_PURPOSE))


class Team(models.Model):
    """A shared workspace; what members may do is decided by their role (teams.permissions)."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=90, unique=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Used for e-mails sent on behalf of the team, such as invitations."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="teams_membership_unique")]
        indexes = [models.Index(fields=["user", "team"]), models.Index(fields=["team", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} ({self.get_role_display()})"


class Invitation(models.Model):
    """An offer to join a team, sent by e-mail. Only a hash of the token is stored: the link in
    the e-mail is the one place the token exists, so a database leak cannot be used to join."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.VIEWER)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and team; an expired one is revoked before re-inviting.
            models.UniqueConstraint(
                "team",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="teams_invitation_open_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "accepted_at", "revoked_at", "expires_at"]),
            # A team's pending invitations, newest first (the team page).
            models.Index(
                fields=["team", "-sent_at", "-id"],
                name="teams_invitation_pending",
                condition=models.Q(accepted_at=None, revoked_at=None),
            ),
            models.Index(Lower("email"), name="teams_invitation_email_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)


class Notification(models.Model):
    """One line in a person's inbox. Only the kind and its parameters are stored; the text is
    rendered when read (teams.notifications), so it follows the reader's current language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    target_url = models.CharField(_("link"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox, all or unread only, newest first from a keyset cursor's position.
            models.Index(fields=["recipient", "-created_at", "-id"], name="teams_notification_inbox"),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                name="teams_notification_unread",
                condition=models.Q(read_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def text(self) -> str:
        from teams.notifications import notification_text

        return notification_text(kind=self.kind, params=self.params)


class NotificationPreference(models.Model):
    """How a person wants one kind of notification: in the inbox, by e-mail, as a browser push.
    No row (or an empty channel) means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40)
    email = models.BooleanField(_("send by e-mail"), default=True)
    # Empty means the kind's default (teams.notifications.KINDS), so a row saved for one channel
    # does not pin the others.
    in_app = models.BooleanField(_("show in the inbox"), null=True, blank=True)
    push = models.BooleanField(_("send as a browser notification"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="teams_notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.email}"


class Comment(models.Model):
    """A review comment pinned to a moment of a video.

    Threads are one level deep: a reply to a reply is attached to the thread's first comment
    (teams.services.comment_create), so `parent` always points at a root. The body is plain
    text — tags are stripped before it is stored and templates escape it when shown.
    """

    BODY_MAX_LENGTH = 2000

    video = models.ForeignKey(
        "videos.Video", verbose_name=_("video"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("text"), max_length=BODY_MAX_LENGTH)
    timestamp_seconds = models.FloatField(_("timestamp (seconds)"), default=0)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentions"), blank=True, related_name="mentioned_in_comments"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["timestamp_seconds", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(timestamp_seconds__gte=0), name="teams_comment_timestamp_gte_0"),
        ]
        indexes = [
            # The threads of a video in timeline order, the whole ordering in the index: a page of a busy
            # video's threads reads its rows, not all of them and a sort.
            models.Index(
                fields=["video", "timestamp_seconds", "created_at", "id"],
                name="teams_comment_thread",
                condition=models.Q(parent=None),
            ),
            models.Index(fields=["video", "resolved_at"], name="teams_comment_resolved"),
            models.Index(fields=["video", "-created_at"], name="teams_comment_recent"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def timestamp_label(self) -> str:
        """The timestamp as the player shows it: 0:07, 1:05, 1:02:03."""
        total = int(self.timestamp_seconds or 0)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ApiTokenLabel(models.Model):
    """The name a person gave one of their API tokens, and the id pages and the API know it by.

    The token itself is django-rest-knox's AuthToken, which stores only a hash of the key and has
    no name; revoking the token deletes its label with it.
    """

    token = models.OneToOneField("knox.AuthToken", on_delete=models.CASCADE, related_name="label")
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name or str(_("Unnamed token"))

    @property
    def created(self) -> datetime:
        return self.token.created

    @property
    def expiry(self) -> datetime | None:
        return self.token.expiry


from teams.push_models import PushDelivery, PushSubscription  # noqa: E402, F401 (kept in their own module)
