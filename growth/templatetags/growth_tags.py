from django import template

register = template.Library()


@register.simple_tag
def vote_of(my_vote: object, feature_request: object) -> int:
    """The person's vote on a request, given either their vote or a {request id: vote} map."""
    if isinstance(my_vote, dict):
        return my_vote.get(getattr(feature_request, "pk", None), 0)
    return my_vote if isinstance(my_vote, int) else 0
