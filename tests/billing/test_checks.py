from billing.checks import billing_provider_check


def test_the_manual_provider_needs_no_configuration(settings):
    settings.BILLING_PROVIDER = "manual"
    assert billing_provider_check() == []


def test_stripe_without_secrets_is_reported(settings):
    settings.BILLING_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert [problem.id for problem in billing_provider_check()] == ["billing.W001"]


def test_an_unknown_provider_is_an_error(settings):
    settings.BILLING_PROVIDER = "paypal"
    assert [problem.id for problem in billing_provider_check()] == ["billing.E001"]
