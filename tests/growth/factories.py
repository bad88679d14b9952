"""Growth rows for tests: referral codes and referrals, feature requests, preview features."""

import factory

from growth.feature_models import FeatureRequest
from growth.referral_models import Referral, ReferralCode
from growth.waitlist_models import PreviewFeature
from tests.factories import UserFactory


class ReferralCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralCode

    user = factory.SubFactory(UserFactory)
    code = factory.Sequence(lambda n: f"TEST-{n:04d}-ABCD")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    code = factory.SubFactory(ReferralCodeFactory)
    referrer = factory.LazyAttribute(lambda r: r.code.user)
    referee = factory.SubFactory(UserFactory)


class FeatureRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeatureRequest

    title = factory.Sequence(lambda n: f"Feature idea number {n}")
    category = FeatureRequest.Category.VIDEO
    author = factory.SubFactory(UserFactory)


class PreviewFeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreviewFeature
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"preview-{n}")
    name = factory.Sequence(lambda n: f"Preview {n}")
