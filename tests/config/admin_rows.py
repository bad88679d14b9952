"""One more row of every model the ops console lists, each with its own related rows.

The changelist query test adds rows with these and checks that the page costs the same number of
queries for one row as for many; fresh related rows (owner, team, plan …) per row are what would
expose a relation loaded once per row.
"""

from collections.abc import Callable
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth.models import Group
from django.contrib.sites.models import Site
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from billing.limits import Metered
from billing.models import Coupon, Credit, Customer, Plan, Subscription, UsageCounter, WebhookEvent
from growth.referral_models import ReferralFlag
from growth.waitlist_models import FeatureFlag, WaitlistEntry
from insights.events import EventName, record_event
from insights.models import CustomerProfile, WebhookDelivery, WebhookEndpoint
from insights.services import webhook_endpoint_create
from teams.models import Comment, Membership, NotificationPreference, OutboundEmail
from tests.billing.factories import PaymentFactory
from tests.factories import UserFactory
from tests.growth.factories import FeatureRequestFactory, PreviewFeatureFactory, ReferralCodeFactory, ReferralFactory
from tests.teams.factories import MembershipFactory, NotificationFactory, TeamFactory, make_invitation
from tests.videos.factories import TemplateFactory, VideoFactory, VideoVersionFactory
from videos.models import BrandingProfile, BulkJob, ExportJob, MediaAsset, TemplateImport
from videos.publishing_models import Publication, PublicationTarget


def _plan(n: int) -> Plan:
    return Plan.objects.create(code=f"plan-{n}", name=f"Plan {n}", rank=100 + n)


def _team(n: int):
    team = TeamFactory(created_by=UserFactory())
    MembershipFactory(team=team, user=UserFactory(), role=Membership.Role.OWNER)
    return team


def _outbound_email(n: int) -> OutboundEmail:
    email = OutboundEmail(to=[f"to{n}@example.com"], from_email="x@example.com", subject=f"Mail {n}", kind="test")
    email.seal(text="Hello")
    email.save()
    return email


def _usage_counter(n: int) -> UsageCounter:
    # Every other row counts for a team, so both kinds of account are on the page.
    account = {"team": _team(n)} if n % 2 else {"user": UserFactory()}
    month = timezone.localdate().replace(day=1)
    return UsageCounter.objects.create(**account, kind=Metered.VIDEOS_CREATED, period_start=month, count=n + 1)


def _event(n: int):
    user = UserFactory()
    return record_event(name=EventName.USER_SIGNED_UP, actor=user, subject=user)


def _experiment(n: int):
    from growth.services.experiments import VariantSpec, experiment_create, experiment_start

    experiment = experiment_create(
        key=f"exp-{n}",
        name=f"Experiment {n}",
        goal_event="video.created",
        variants=[VariantSpec("a", "A"), VariantSpec("b", "B")],
        actor=None,
    )
    return experiment_start(experiment=experiment, actor=None)


def _experiment_assignment(n: int):
    from growth.experiments_models import ExperimentAssignment

    experiment = _experiment(100 + n)
    return ExperimentAssignment.objects.create(
        experiment=experiment, variant=experiment.variants.first(), user=UserFactory()
    )


def _experiment_goal(n: int):
    from growth.services.experiments import experiment_goal_record

    return experiment_goal_record(user=UserFactory(), experiment=_experiment(200 + n), event_id=f"evt-{n}")[0]


def _webhook_endpoint(n: int) -> WebhookEndpoint:
    team = _team(n) if n % 2 else None
    owner = team.memberships.get().user if team else UserFactory()
    endpoint, _secret = webhook_endpoint_create(
        actor=owner, team=team, url=f"http://127.0.0.1:9/{n}", event_types=[EventName.VIDEO_CREATED]
    )
    return endpoint


def _webhook_delivery(n: int) -> WebhookDelivery:
    endpoint = _webhook_endpoint(n)
    return WebhookDelivery.objects.create(
        endpoint=endpoint, message_id=f"msg_{n}", event_type="webhook.test", payload={}, body="{}"
    )


def _periodic_task(n: int) -> PeriodicTask:
    every = IntervalSchedule.objects.create(every=1000 + n, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(name=f"Task {n}", task="tests.nothing", interval=every)


def _publication(n: int) -> Publication:
    # A team's publication with two platforms, so the platforms column's prefetch shows up.
    video = VideoFactory(team=_team(n))
    publication = Publication.objects.create(
        video=video, owner=video.owner, team=video.team, scheduled_at=timezone.now()
    )
    for platform in ("youtube", "x"):
        PublicationTarget.objects.create(publication=publication, platform=platform)
    return publication


ROW_MAKERS: dict[str, Callable[[int], object]] = {
    "account.emailaddress": lambda n: EmailAddress.objects.get(user=UserFactory()),
    "auth.group": lambda n: Group.objects.create(name=f"Group {n}"),
    "billing.coupon": lambda n: Coupon.objects.create(code=f"SAVE{n}", name=f"Save {n}", percent_off=10),
    "billing.credit": lambda n: Credit.objects.create(
        user=UserFactory(), plan=_plan(n), reason="Goodwill", granted_by=UserFactory()
    ),
    "billing.customer": lambda n: Customer.objects.create(
        user=UserFactory(), provider="stripe", provider_customer_id=f"cus_{n}"
    ),
    "billing.payment": lambda n: PaymentFactory(user=UserFactory(), plan=_plan(n)),
    "billing.plan": _plan,
    "billing.subscription": lambda n: Subscription.objects.create(
        user=UserFactory(), plan=_plan(n), current_period_end=timezone.now() + timedelta(days=30)
    ),
    "billing.usagecounter": _usage_counter,
    "billing.webhookevent": lambda n: WebhookEvent.objects.create(provider="stripe", event_id=f"evt_{n}", type="x"),
    "django_celery_beat.clockedschedule": lambda n: ClockedSchedule.objects.create(
        clocked_time=timezone.now() + timedelta(days=n)
    ),
    "django_celery_beat.crontabschedule": lambda n: CrontabSchedule.objects.create(minute=str(n % 60), hour="3"),
    "django_celery_beat.intervalschedule": lambda n: IntervalSchedule.objects.create(
        every=2000 + n, period=IntervalSchedule.SECONDS
    ),
    "django_celery_beat.periodictask": _periodic_task,
    "django_celery_beat.solarschedule": lambda n: SolarSchedule.objects.create(
        event="sunrise", latitude=n % 90, longitude=n % 180
    ),
    "growth.experiment": _experiment,
    "growth.experimentassignment": _experiment_assignment,
    "growth.experimentdashboard": _experiment,
    "growth.experimentgoal": _experiment_goal,
    "growth.featureflag": lambda n: FeatureFlag.objects.create(user=UserFactory(), key=f"preview-{n}"),
    "growth.featurerequest": lambda n: FeatureRequestFactory(merged_into=FeatureRequestFactory()),
    "growth.previewfeature": lambda n: PreviewFeatureFactory(),
    "growth.referral": lambda n: ReferralFactory(),
    "growth.referralcode": lambda n: ReferralCodeFactory(),
    "growth.referralflag": lambda n: ReferralFlag.objects.create(
        code=ReferralCodeFactory(), user=UserFactory(), reason=ReferralFlag.Reason.SELF
    ),
    "growth.waitlistentry": lambda n: WaitlistEntry.objects.create(feature=PreviewFeatureFactory(), user=UserFactory()),
    "insights.event": _event,
    "insights.customerprofile": lambda n: CustomerProfile.objects.create(
        user=UserFactory(), segment="whale", tier="gold", lifetime_value_cents=150_000, recomputed_at=timezone.now()
    ),
    "socialaccount.socialaccount": lambda n: SocialAccount.objects.create(
        user=UserFactory(), provider="google", uid=f"uid-{n}"
    ),
    "socialaccount.socialapp": lambda n: SocialApp.objects.create(
        provider="tiktok", name=f"App {n}", client_id=f"client-{n}", secret="s"
    ),
    "insights.webhookendpoint": _webhook_endpoint,
    "insights.webhookdelivery": _webhook_delivery,
    "sites.site": lambda n: Site.objects.create(domain=f"site{n}.example.com", name=f"Site {n}"),
    "teams.comment": lambda n: Comment.objects.create(
        video=VideoFactory(team=_team(n)), author=UserFactory(), body=f"Comment {n}"
    ),
    "teams.invitation": lambda n: make_invitation(
        team=_team(n), email=f"invitee{n}@example.com", invited_by=UserFactory()
    )[0],
    "teams.membership": lambda n: MembershipFactory(),
    "teams.notification": lambda n: NotificationFactory(),
    "teams.notificationpreference": lambda n: NotificationPreference.objects.create(
        user=UserFactory(), kind="member_joined"
    ),
    "teams.outboundemail": _outbound_email,
    "teams.team": _team,
    "teams.user": lambda n: UserFactory(),
    "videos.brandingprofile": lambda n: BrandingProfile.objects.create(
        team=_team(n), name=f"Brand {n}", logo=f"branding/{n}.png", logo_width=32, logo_height=32
    ),
    "videos.bulkjob": lambda n: BulkJob.objects.create(owner=UserFactory(), team=_team(n), template=TemplateFactory()),
    "videos.exportjob": lambda n: ExportJob.objects.create(owner=UserFactory(), video_count=1),
    "videos.publication": _publication,
    "videos.mediaasset": lambda n: MediaAsset.objects.create(
        owner=UserFactory(), video=VideoFactory(), slot="picture", kind="image", file=f"m/{n}.png", size_bytes=1
    ),
    "videos.template": lambda n: TemplateFactory(),
    "videos.templateimport": lambda n: TemplateImport.objects.create(file=f"imports/{n}.csv", created_by=UserFactory()),
    "videos.video": lambda n: VideoFactory(team=_team(n), template=TemplateFactory()),
    "videos.videoversion": lambda n: VideoVersionFactory(),
}
