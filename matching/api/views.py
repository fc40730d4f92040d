"""POST /api/v1/match/{entity}: ranked candidates for a record, with scores and explanations; creates nothing."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from canonical.schema import clean_attributes
from mdmhub.problems import NotFound

from ..engine import MATCHED_ENTITIES, match_attributes


class MatchBody(serializers.Serializer):
    attributes = serializers.JSONField()
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)

    def validate(self, data: dict) -> dict:
        attributes, errors = clean_attributes(self.context["entity"], data["attributes"])
        if errors:
            raise serializers.ValidationError(errors)
        data["attributes"] = attributes
        return data


class MatchView(APIView):
    @extend_schema(request=MatchBody, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, entity: str) -> Response:
        if entity not in MATCHED_ENTITIES:
            raise NotFound(
                f"No matching for {entity[:40]!r}.", errors={"entity": [f"one of {', '.join(MATCHED_ENTITIES)}"]}
            )
        body = MatchBody(data=request.data, context={"entity": entity})
        body.is_valid(raise_exception=True)
        scored = match_attributes(entity, body.validated_data["attributes"], body.validated_data["limit"])
        return Response(
            {
                "entity": entity,
                "candidates": [
                    {
                        "golden_id": s.golden_id,
                        "score": round(s.probability, 6),
                        "weakest_member_score": round(s.weakest, 6),
                        "explanation": s.explanation,
                    }
                    for s in scored
                ],
            }
        )
