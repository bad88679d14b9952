"""Demo NPS answers over six months, a few customer-success tasks, and support threads, so `make run`
shows the survey figures, the task queue and the inbox. Historic rows are written directly (their
dates are in the past); loading twice adds nothing."""

from datetime import timedelta

from django.utils import timezone

from insights.nps_models import CustomerSuccessTask, NpsChannel, NpsResponse, NpsSegment, NpsSurveyState
from insights.nps_score import nps_category
from insights.support_models import SupportMessage, SupportRequest
from teams.models import User

RESPONDENTS = 22
FEEDBACK = {
    2: "Rendering is slow and the export failed twice.",
    3: "Too expensive for what I use, the price went up.",
    4: "Templates all look the same, I want more styles.",
    5: "Support took three days to answer.",
    6: "",
    7: "Good, but I miss a few export formats.",
    8: "",
    9: "Love the templates!",
    10: "Saves me hours every week.",
}
SCORES = [10, 9, 9, 8, 7, 6, 10, 3, 9, 5, 8, 10, 2, 9, 7, 4, 10, 9, 6, 8]


def _respondent(n: int, *, joined_days_ago: int) -> User:
    user, created = User.objects.get_or_create(
        email=f"nps-demo-{n}@videocreator.local", defaults={"display_name": f"Survey respondent {n + 1}"}
    )
    if created:
        user.set_unusable_password()
        user.date_joined = timezone.now() - timedelta(days=joined_days_ago)
        user.save(update_fields=["password", "date_joined"])
    return user


def _segment(joined_days_ago: int, days_ago: int) -> str:
    tenure = joined_days_ago - days_ago
    return NpsSegment.NEW if tenure < 90 else NpsSegment.ESTABLISHED if tenure <= 365 else NpsSegment.VETERAN


def load(*, creator: User, staff: User) -> None:
    """About forty answers over six months, three follow-up tasks, and the creator's support threads (once)."""
    _load_nps(staff=staff)
    _load_support(creator=creator, staff=staff)


def _load_nps(*, staff: User) -> None:
    if NpsResponse.objects.filter(user__email__startswith="nps-demo-").exists():
        return
    now = timezone.now()
    rows = []
    for n in range(RESPONDENTS):
        # The first four joined a month or two ago and answered once; the others long ago, twice.
        joined = 40 + 10 * n if n < 4 else 220 + 20 * n
        user = _respondent(n, joined_days_ago=joined)
        first = 5 + n if n < 4 else 2 + (n * 4) % 85
        answers = (first,) if n < 4 else (first, first + 92)
        for turn, days_ago in enumerate(answers):
            score = SCORES[(n + 7 * turn) % len(SCORES)]
            rows.append(
                NpsResponse(
                    user=user,
                    score=score,
                    category=nps_category(score),
                    feedback=FEEDBACK.get(score, ""),
                    channel=NpsChannel.EMAIL if (n + turn) % 3 == 0 else NpsChannel.IN_APP,
                    plan_code="pro" if n % 4 == 0 else "free",
                    segment=_segment(joined, days_ago),
                    created_at=now - timedelta(days=days_ago, hours=n),
                )
            )
        last = now - timedelta(days=first, hours=n)
        NpsSurveyState.objects.get_or_create(
            user=user, defaults={"asked_at": last, "asked_by": NpsChannel.IN_APP, "answered_at": last}
        )
    NpsResponse.objects.bulk_create(rows)
    detractors = NpsResponse.objects.filter(user__email__startswith="nps-demo-", category="detractor").order_by(
        "-created_at"
    )[:3]
    for n, response in enumerate(detractors):
        # One due soon, one overdue, one done.
        due = now + timedelta(hours=20) if n == 0 else now - timedelta(hours=6 * n)
        CustomerSuccessTask.objects.create(
            response=response,
            assignee=staff,
            due_at=due,
            created_at=due - timedelta(hours=24),
            status=CustomerSuccessTask.Status.DONE if n == 2 else CustomerSuccessTask.Status.OPEN,
            done_at=now - timedelta(hours=1) if n == 2 else None,
            note="Called them: a render got stuck, credited a month." if n == 2 else "",
        )


SUPPORT_THREADS = [
    # (category, subject, status, [(from_staff, body, hours ago)])
    (
        SupportRequest.Category.RENDERING,
        "My export stays at 90 %",
        SupportRequest.Status.WAITING,
        [
            (False, "The export of my three launch videos has been at 90 % for an hour. Can you check?", 30),
            (True, "Thanks for the report! The export worker restarted overnight; please start it again.", 26),
        ],
    ),
    (
        SupportRequest.Category.BILLING,
        "Invoice with my company name",
        SupportRequest.Status.OPEN,
        [(False, "Could the next invoice show my company name and VAT number?", 3)],
    ),
]
OTHER_CATEGORIES = [SupportRequest.Category.BUG, SupportRequest.Category.RENDERING, SupportRequest.Category.ACCOUNT]


def _load_support(*, creator: User, staff: User) -> None:
    if creator.support_requests.exists():
        return
    now = timezone.now()
    for category, subject, status, thread in SUPPORT_THREADS:
        opened = now - timedelta(hours=thread[0][2])
        request = SupportRequest.objects.create(
            user=creator,
            category=category,
            subject=subject,
            status=status,
            assignee=staff if status == SupportRequest.Status.WAITING else None,
            created_at=opened,
            updated_at=now - timedelta(hours=thread[-1][2]),
        )
        for from_staff, body, hours_ago in thread:
            SupportMessage.objects.create(
                request=request,
                author=staff if from_staff else creator,
                from_staff=from_staff,
                body=body,
                created_at=now - timedelta(hours=hours_ago),
            )
    # A few requests from the survey respondents, so the category counts have something to count.
    for n, category in enumerate(OTHER_CATEGORIES):
        person = User.objects.filter(email=f"nps-demo-{n}@videocreator.local").first()
        if person is None:
            continue
        request = SupportRequest.objects.create(
            user=person, category=category, subject=f"Question {n + 1}", created_at=now - timedelta(days=n + 1)
        )
        SupportMessage.objects.create(request=request, author=person, body="Something does not work as I expected.")
