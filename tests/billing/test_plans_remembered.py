"""Within `limits.plans_remembered()` an account's plan is looked up once; usage is always read afresh."""

import pytest

from billing import limits
from billing.services.usage import usage_record

pytestmark = pytest.mark.django_db


def test_a_plan_is_looked_up_once_in_the_block_and_usage_every_time(creator, django_assert_num_queries):
    limits.value(creator, limits.Limit.VIDEOS_PER_MONTH)  # warm nothing but Django's own caches
    with limits.plans_remembered():
        first = limits.value(creator, limits.Limit.VIDEOS_PER_MONTH)
        with django_assert_num_queries(0):
            assert limits.value(creator, limits.Limit.BULK_ROWS_PER_JOB) is not None
            assert limits.value(creator, limits.Limit.VIDEOS_PER_MONTH) == first
        usage_record(account=creator, kind=limits.Metered.VIDEOS_CREATED)
        assert limits.usage(creator, limits.Metered.VIDEOS_CREATED) == 1
    with django_assert_num_queries(2):  # outside the block: asked again (subscription, then the Free plan)
        limits.value(creator, limits.Limit.VIDEOS_PER_MONTH)
