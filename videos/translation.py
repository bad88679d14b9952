from modeltranslation.translator import TranslationOptions, register

from videos.models import Template


@register(Template)
class TemplateTranslationOptions(TranslationOptions):
    fields = ("title", "description", "style")
