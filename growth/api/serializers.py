from rest_framework import serializers

from growth.feature_models import FeatureComment, FeatureRequest


class ReferralStatsSerializer(serializers.Serializer):
    clicks = serializers.IntegerField()
    signups = serializers.IntegerField()
    paid = serializers.IntegerField()
    months_earned = serializers.IntegerField()
    months_claimed = serializers.IntegerField()


class ReferralSerializer(serializers.Serializer):
    code = serializers.CharField()
    share_url = serializers.URLField()
    stats = ReferralStatsSerializer()


class ReferralApplySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=24)


class ReferralAppliedSerializer(serializers.Serializer):
    referrer_code = serializers.CharField()
    percent_off = serializers.IntegerField()


class FeatureRequestSerializer(serializers.ModelSerializer):
    my_vote = serializers.SerializerMethodField()
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FeatureRequest
        fields = [
            "id",
            "title",
            "description",
            "category",
            "status",
            "score",
            "upvotes",
            "downvotes",
            "merged_into",
            "created_at",
            "my_vote",
        ]
        read_only_fields = ["status", "score", "upvotes", "downvotes", "merged_into", "created_at"]

    def get_my_vote(self, obj: FeatureRequest) -> int:
        return self.context.get("my_votes", {}).get(obj.pk, 0)


class FeatureRequestCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=140)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=FeatureRequest.Category.choices)


class FeatureVoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=[1, -1, 0], help_text="1 up, -1 down, 0 removes the vote.")


class FeatureCommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = FeatureComment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]

    def get_author(self, obj: FeatureComment) -> str:
        return obj.author.display_name or ""


class PreviewFeatureSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    enabled = serializers.BooleanField()
    joined = serializers.BooleanField()
    position = serializers.IntegerField(allow_null=True)
    referrals = serializers.IntegerField(allow_null=True)


class FeatureFlagSerializer(serializers.Serializer):
    key = serializers.CharField()
    enabled = serializers.BooleanField()
