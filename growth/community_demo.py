"""Demo data for growth: the demo creator's referrals, a feature board with votes, a waitlist."""

from allauth.account.models import EmailAddress

from billing.models import Plan
from billing.services import subscription_start
from growth.feature_models import FeatureRequest
from growth.referral_models import Referral, ReferralVisit
from growth.services.features import (
    feature_comment_create,
    feature_request_create,
    feature_request_set_status,
    feature_vote_set,
)
from growth.services.referrals import referral_apply, referral_code_get_or_create
from growth.services.waitlist import preview_feature_save, waitlist_join
from growth.waitlist_models import PreviewFeature
from teams.models import User

FRIENDS = [("fran@videocreator.local", "Fran Friend"), ("pat@videocreator.local", "Pat Payer")]
REQUESTS = [
    ("Dark mode for the editor", "ui_ux", "Long evenings of editing are hard on the eyes.", "planned"),
    ("Export straight to Google Drive", "integration", "Skip the ZIP: drop exports into a shared folder.", "open"),
    ("Auto-captions in more languages", "video", "Captions for Hindi and Korean videos.", "in_progress"),
    ("Webhooks for finished renders", "api", "Tell my CMS the moment a video is ready.", "shipped"),
    ("Annual invoices with our VAT number", "billing", "", "open"),
]


def _friend(email: str, name: str) -> tuple[User, bool]:
    friend, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        friend.set_unusable_password()
        friend.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=friend, email=email, defaults={"verified": True, "primary": True})
    return friend, created


def load(*, creator: User, staff: User) -> None:
    """Referrals of the demo creator (one paid), five feature requests with votes, a preview waitlist; once."""
    code = referral_code_get_or_create(user=creator)
    friends = []
    for n, (email, name) in enumerate(FRIENDS):
        friend, _created = _friend(email, name)
        friends.append(friend)
        ReferralVisit.objects.get_or_create(code=code, visitor_id=f"demo-visitor-{n}")
        if not Referral.objects.filter(referee=friend).exists():
            referral_apply(referee=friend, code=code.code)
    ReferralVisit.objects.get_or_create(code=code, visitor_id="demo-visitor-bounced")
    payer = friends[-1]
    pro = Plan.objects.filter(code="pro").first()
    if pro is not None and not payer.subscriptions.exists():
        # The referrer's free month follows once the load commits (billing's payment signal).
        subscription_start(user=payer, plan=pro, interval="month")

    if not FeatureRequest.objects.exists():
        people = [creator, staff, *friends]
        for n, (title, category, description, status) in enumerate(REQUESTS):
            request = feature_request_create(
                author=people[n % len(people)], title=title, description=description, category=category
            )
            for voter in people[: len(REQUESTS) - n]:
                feature_vote_set(feature_request=request, user=voter, value=1)
            if n == len(REQUESTS) - 1:
                feature_vote_set(feature_request=request, user=friends[0], value=-1)
            if status != "open":
                feature_request_set_status(feature_request=request, status=status, actor=staff)
        first = FeatureRequest.objects.order_by("pk").first()
        feature_comment_create(
            feature_request=first, author=friends[0], body="Yes please, with a high-contrast option."
        )

    feature = PreviewFeature.objects.filter(key="ai-voiceover").first()
    if feature is None:
        feature = preview_feature_save(
            feature=PreviewFeature(
                key="ai-voiceover",
                name="AI voice-over",
                description="Narration generated from your script, in your language.",
            )
        )
        for person in [*friends, creator]:
            waitlist_join(feature=feature, user=person)
