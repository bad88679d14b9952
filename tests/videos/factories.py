import factory

from tests.factories import UserFactory
from videos.models import Template, Video, VideoVersion

SIMPLE_SPEC = {
    "audio": {"kind": "tone", "frequency": 220},
    "slots": [{"key": "picture", "kind": "image", "label": "Picture"}],
    "scenes": [
        {"duration": 1, "background": "#ff0000", "text": "Hello", "text_color": "#ffffff", "transition": "cut"},
        {"duration": 1, "background": "#0000ff", "text": "World", "transition": "fade", "slot": "picture"},
    ],
}


class TemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Template

    slug = factory.Sequence(lambda n: f"template-{n}")
    title = factory.Sequence(lambda n: f"Template {n}")
    description = "A template for tests."
    category = Template.Category.SOCIAL
    tags = "test,quick"
    duration_seconds = 2
    min_duration_seconds = 1
    max_duration_seconds = 4
    aspect_ratio = Template.AspectRatio.PORTRAIT
    style = "minimal"
    tier = Template.Tier.FREE
    scene_spec = factory.LazyFunction(lambda: {**SIMPLE_SPEC})


class VideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Video

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Video {n}")
    status = Video.Status.READY
    source = Video.Source.UPLOAD


class VideoVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VideoVersion

    video = factory.SubFactory(VideoFactory)
    number = factory.Sequence(lambda n: n + 1)
    status = VideoVersion.Status.READY
    created_by = factory.SelfAttribute("video.owner")
