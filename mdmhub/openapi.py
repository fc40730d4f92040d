"""OpenAPI additions: every API operation documents the problem+json answers it can give."""

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem; `errors` names each offending field, header or query parameter.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "messages": {"type": "array", "items": {"type": "string"}}},
                "required": ["field", "messages"],
            },
        },
        "correlation_id": {"type": "string"},
    },
    "required": ["type", "title", "status", "detail", "correlation_id"],
}


def _answers(method: str, operation: dict) -> dict[str, str]:
    answers = {
        "400": "Invalid input: a field, query parameter or header is wrong; `errors` names it",
        "401": "No valid system token or steward session",
        "406": "The Accept header asks for a format the API does not give",
    }
    has_body = "requestBody" in operation
    if has_body:
        answers |= {"413": "The body is too large", "415": "The body is not application/json"}
    if has_body or any(p.get("in") == "path" for p in operation.get("parameters", [])):
        answers["404"] = "Unknown source system, entity or record"
    if method == "put":
        answers |= {
            "403": "A system may write only its own records",
            "422": "Idempotency-Key reused for another request",
        }
    return answers


def problem_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status, description in _answers(method, operation).items():
                responses.setdefault(status, {"description": description, "content": content})
    return result
