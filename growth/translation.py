"""Campaign texts are written per language by staff (and translators) in the ops console."""

from modeltranslation.translator import TranslationOptions, register

from growth.campaign_models import Campaign, CampaignSubject


@register(Campaign)
class CampaignTranslationOptions(TranslationOptions):
    fields = ("subject", "body", "cta_label")


@register(CampaignSubject)
class CampaignSubjectTranslationOptions(TranslationOptions):
    fields = ("subject",)
