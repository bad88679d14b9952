"""The kinds of notification. Imports nothing of ours, so any app can name a kind without a circle.

How each kind reads, and whether it is e-mailed by default, is in `teams.notifications`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mentions in comments")
    INVITATION = "invitation", _("Team invitations")
    MEMBER_JOINED = "member_joined", _("New team members")
    ROLE_CHANGED = "role_changed", _("Changes to your team role")
    EXPORT_READY = "export_ready", _("Exports ready to download")
    BULK_DONE = "bulk_done", _("Bulk jobs finished")
    PUBLISH_RESULT = "publish_result", _("Publishing results")
    EXPERIMENT_WINNER = "experiment_winner", _("Experiment winners")
    FEATURE_STATUS = "feature_status", _("Status changes of feature requests you voted on")
    WAITLIST_INVITED = "waitlist_invited", _("Invitations to preview features")
    REFERRAL_REWARDED = "referral_rewarded", _("Referral rewards")
    WEBHOOK_DISABLED = "webhook_disabled", _("Webhook endpoints turned off")
    ALERT = "alert", _("Monitoring alerts (staff)")
    NPS_DETRACTOR = "nps_detractor", _("Customer-success tasks from NPS detractors")
    RENDER_FINISHED = "render_finished", _("Videos finished rendering")
    PROMOTIONS = "promotions", _("Offers and news from Video Creator")
    INCIDENT_ESCALATED = "incident_escalated", _("Incidents past their target (staff)")
