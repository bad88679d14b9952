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
from growth.campaign_models import Campaign, CampaignSend, EmailOptOut
from growth.referral_models import ReferralFlag
from growth.waitlist_models import FeatureFlag, WaitlistEntry
from insights.events import EventName, record_event
from insights.models import (
    AcquisitionSpend,
    ActionItem,
    AlertEpisode,
    AlertRule,
    CustomerProfile,
    CustomerSuccessTask,
    DailyCost,
    DailySnapshot,
    EscalationStep,
    Incident,
    Maintenance,
    NpsResponse,
    PostMortem,
    RouteTiming,
    Severity,
    StatusSubscriber,
    SupportMessage,
    SupportRequest,
    WebhookDelivery,
    WebhookEndpoint,
)
from insights.nps_score import nps_category
from insights.services import webhook_endpoint_create
from teams.models import Comment, Membership, NotificationPreference, OutboundEmail, PushDelivery, PushSubscription
from teams.push_models import endpoint_digest
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


def _push_subscription(n: int) -> PushSubscription:
    subscription = PushSubscription(
        user=UserFactory(), endpoint=f"https://push.example.com/{n}", endpoint_hash=endpoint_digest(f"row-{n}")
    )
    subscription.set_keys(p256dh="BPk", auth="secret")
    subscription.save()
    return subscription


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


def _alert_episode(n: int) -> AlertEpisode:
    # The rules are the eight seeded ones; an episode each, resolved so any rule may get another.
    rule = AlertRule.objects.order_by("pk")[n % AlertRule.objects.count()]
    started = timezone.now() - timedelta(hours=n + 1)
    return AlertEpisode.objects.create(
        rule=rule, severity=rule.severity, title=f"Alert {n}", value=n, threshold=1, started_at=started,
        resolved_at=started + timedelta(minutes=5),
    )  # fmt: skip


def _route_timing(n: int) -> RouteTiming:
    return RouteTiming.objects.create(
        route=f"route-{n}/", method="GET", period_start=timezone.now().replace(second=0, microsecond=0), count=2, b3=2
    )


def _nps_response(n: int) -> NpsResponse:
    return NpsResponse.objects.create(
        user=UserFactory(), score=n % 11, category=nps_category(n % 11), channel="in_app", segment="new"
    )


def _customer_success_task(n: int) -> CustomerSuccessTask:
    response = NpsResponse.objects.create(
        user=UserFactory(), score=3, category="detractor", channel="email", segment="new"
    )
    return CustomerSuccessTask.objects.create(
        response=response, assignee=UserFactory(is_staff=True), due_at=timezone.now() + timedelta(hours=n - 3)
    )


def _support_request(n: int) -> SupportRequest:
    request = SupportRequest.objects.create(
        user=UserFactory(), category="bug", subject=f"Request {n}", assignee=UserFactory(is_staff=True)
    )
    SupportMessage.objects.create(request=request, author=request.user, body="It does not work.")
    return request


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


def _incident(n: int) -> Incident:
    severity = Severity.objects.create(
        code=f"T{n}", name=f"Test {n}", rank=10 + n, response_minutes=1, resolution_minutes=2
    )
    return Incident.objects.create(
        title=f"Incident {n}", severity=severity, commander=UserFactory(), opened_by=UserFactory()
    )


def _postmortem(n: int) -> PostMortem:
    return PostMortem.objects.create(
        incident=_incident(n), summary="s", impact="i", timeline="t", root_cause="r", author=UserFactory()
    )


def _escalation_step(n: int) -> EscalationStep:
    step = EscalationStep.objects.create(order=100 + n, level="cto", delay_minutes=n)
    step.recipients.add(UserFactory())
    return step


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
    "growth.campaign": lambda n: Campaign.objects.create(key=f"campaign-{n}", name=f"Campaign {n}", subject_en="Hi"),
    "growth.campaignsend": lambda n: CampaignSend.objects.create(
        campaign=Campaign.objects.create(key=f"sent-{n}", name=f"Sent {n}", subject_en="Hi"), user=UserFactory()
    ),
    "growth.emailoptout": lambda n: EmailOptOut.objects.create(user=UserFactory(), category="offers"),
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
    "insights.alertepisode": _alert_episode,
    "insights.alertrule": lambda n: AlertRule.objects.order_by("pk")[n % AlertRule.objects.count()],
    "insights.dailycost": lambda n: DailyCost.objects.create(
        day=timezone.localdate() - timedelta(days=n), amount_cents=1000 + n, entered_by=UserFactory()
    ),
    "insights.event": _event,
    "insights.routetiming": _route_timing,
    "insights.acquisitionspend": lambda n: AcquisitionSpend.objects.create(
        channel="paid_social",
        month=timezone.localdate().replace(day=1) - timedelta(days=31 * n),
        amount_cents=n,
        entered_by=UserFactory(),
    ),
    "insights.bidashboard": lambda n: DailySnapshot.objects.create(
        day=timezone.localdate() - timedelta(days=n + 1), family="revenue", data={"mrr": 1200 * n, "customers": n}
    ),
    "insights.dailysnapshot": lambda n: DailySnapshot.objects.create(
        day=timezone.localdate() - timedelta(days=n + 1), family="users", data={"dau": n}
    ),
    "insights.actionitem": lambda n: ActionItem.objects.create(
        postmortem=_postmortem(n), description=f"Do {n}", owner=UserFactory(), due_on=timezone.localdate()
    ),
    "insights.escalationstep": _escalation_step,
    "insights.incident": _incident,
    "insights.maintenance": lambda n: Maintenance.objects.create(
        title=f"Window {n}", starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1)
    ),
    "insights.postmortem": _postmortem,
    "insights.severity": lambda n: Severity.objects.create(
        code=f"S{n}", name=f"Sev {n}", rank=20 + n, response_minutes=1, resolution_minutes=2
    ),
    "insights.statussubscriber": lambda n: StatusSubscriber.objects.create(email=f"follower{n}@example.com"),
    "insights.customerprofile": lambda n: CustomerProfile.objects.create(
        user=UserFactory(), segment="whale", tier="gold", lifetime_value_cents=150_000, recomputed_at=timezone.now()
    ),
    "socialaccount.socialaccount": lambda n: SocialAccount.objects.create(
        user=UserFactory(), provider="google", uid=f"uid-{n}"
    ),
    "socialaccount.socialapp": lambda n: SocialApp.objects.create(
        provider="tiktok", name=f"App {n}", client_id=f"client-{n}", secret="s"
    ),
    "insights.customersuccesstask": _customer_success_task,
    "insights.npsresponse": _nps_response,
    "insights.supportrequest": _support_request,
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
    "teams.pushsubscription": _push_subscription,
    "teams.pushdelivery": lambda n: PushDelivery.objects.create(
        user=UserFactory(), subscription=_push_subscription(n), kind="mention", status=PushDelivery.Status.SENT
    ),
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
