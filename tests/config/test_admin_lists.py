"""The ops console's large tables on PostgreSQL: their changelists are ordered, filtered and searched
through indexes and never count a large result exactly (config.admin_lists).

The tables are filled with generate_series and analysed, so the planner chooses as in production.
"""

import re
from hashlib import md5

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="query plans are PostgreSQL's")


def _fill(*statements: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params if "%s" in statement else None)


@pytest.fixture
def many_people(db):
    """100,000 people with addresses and names as varied as real ones (parts of md5 sums)."""
    _fill(
        "INSERT INTO teams_user (password, is_superuser, email, display_name, language, time_zone, is_staff,"
        " is_active, date_joined) SELECT '!', false, substr(md5(n::text), 1, 12) || '@example.com',"
        " 'Person ' || substr(md5(n::text), 20, 8), 'en', 'UTC', false, true, now() - n * interval '1 minute'"
        " FROM generate_series(1, 100000) n",
        "ANALYZE teams_user",
    )


@pytest.fixture
def many_events(creator):
    _fill(
        "INSERT INTO insights_event (name, subject_id, payload, is_public, occurred_at, actor_id)"
        " SELECT (ARRAY['video.created','user.logged_in','template.used','comment.created'])[1 + mod(n, 4)],"
        " n::text, '{}', false, now() - n * interval '1 minute', CASE WHEN mod(n, 100) = 0 THEN %s END"
        " FROM generate_series(1, 60000) n",
        "ANALYZE insights_event",
        params=[creator.pk],
    )


@pytest.fixture
def many_emails(db):
    _fill(
        'INSERT INTO teams_outboundemail ("to", from_email, subject, kind, status, attempts, last_error,'
        " created_at, sealed_content) SELECT jsonb_build_array('person' || n || '@example.com'),"
        " 'hello@example.com', 'Subject ' || md5(n::text), 'kind_' || mod(n, 50), 'sent', 1, '',"
        " now() - n * interval '1 minute', '' FROM generate_series(1, 40000) n",
        "ANALYZE teams_outboundemail",
    )


@pytest.fixture
def many_payments(many_people):
    _fill(
        "INSERT INTO billing_payment (description, subtotal_cents, discount_cents, credit_cents, amount_cents,"
        " currency, status, provider, provider_invoice_id, attempts, created_at, user_id)"
        " SELECT '', 1200, 0, 0, 1200, 'usd', 'paid', 'manual', 'in_' || n, 0, now() - n * interval '1 hour',"
        " (SELECT min(id) FROM teams_user WHERE email LIKE '%%@example.com') + mod(n, 20000)"
        " FROM generate_series(1, 40000) n",
        "ANALYZE billing_payment",
    )


def plans(client, url: str, table: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    found = []
    for query in captured.captured_queries:
        if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {query['sql']}")
                found.append("\n".join(row[0] for row in cursor.fetchall()))
    assert found, f"{url} read nothing of {table}"
    return found


def assert_reads(client, url: str, table: str, index: str) -> None:
    name, _sep, query = url.partition("?")
    found = plans(client, f"{reverse(name)}?{query}", table)
    for plan in found:
        assert not re.search(rf"Seq Scan on {table}\b", plan), f"{url}:\n{plan}"
    assert any(index in plan for plan in found), f"{url} does not use {index}:\n" + "\n\n".join(found)


def hashed(n: int) -> str:
    return md5(str(n).encode()).hexdigest()  # noqa: S324 (the test data's names, not security)


def test_the_event_log_reads_indexes(many_events, staff_client):
    assert_reads(staff_client, "admin:insights_event_changelist", "insights_event", "insights_ev_occurre")
    # A frequent name: walking the time index finds a page at once (a rare one reads the name index).
    assert_reads(staff_client, "admin:insights_event_changelist?q=comment.created", "insights_event", "occurre")
    assert_reads(staff_client, "admin:insights_event_changelist?q=4242", "insights_event", "insights_event_subject_id")
    assert_reads(staff_client, "admin:insights_event_changelist?q=creator@example.com", "insights_event", "actor_i")


def test_the_outbox_reads_indexes(many_emails, staff_client):
    url = "admin:teams_outboundemail_changelist"
    assert_reads(staff_client, url, "teams_outboundemail", "teams_outbox_recent")
    assert_reads(staff_client, f"{url}?q=person42@example.com", "teams_outboundemail", "teams_outbox_to")
    assert_reads(staff_client, f"{url}?q={hashed(1234)[3:12]}", "teams_outboundemail", "teams_outbox_subject_upper")


def test_people_and_payments_read_indexes(many_payments, staff_client):
    assert_reads(staff_client, "admin:teams_user_changelist", "teams_user", "teams_user_date_jo")
    assert_reads(staff_client, f"admin:teams_user_changelist?q={hashed(1234)[2:10]}", "teams_user", "upper_trgm")
    url = "admin:billing_payment_changelist"
    assert_reads(staff_client, url, "billing_payment", "billing_payment_recent")
    assert_reads(staff_client, f"{url}?q=in_777", "billing_payment", "billing_payment_invoice_id")
    assert_reads(staff_client, f"{url}?q={hashed(77)[:12]}@example.com", "billing_payment", "user_id_")


def test_a_large_changelist_shows_the_planners_estimate_instead_of_counting(many_events, staff_client):
    with CaptureQueriesContext(connection) as captured:
        body = staff_client.get(reverse("admin:insights_event_changelist")).content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "insights_event" in q["sql"]]
    assert counts == []
    shown = int(re.search(r"([\d,]+) events", body).group(1).replace(",", ""))
    assert 50_000 < shown < 70_000  # an estimate of the 60,000
    # A small result is counted exactly.
    body = staff_client.get(reverse("admin:insights_event_changelist") + "?q=4242").content.decode()
    assert re.search(r"\b1 result\b|\b1 event\b", body)
