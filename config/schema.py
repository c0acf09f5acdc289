"""OpenAPI post-processing: every operation documents the errors it can answer with."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Either {'detail': message} or {field: [messages]}.",
    "additionalProperties": True,
}

ERRORS = {
    "400": "Invalid input; the body names each field that is wrong.",
    "401": "Not logged in: send `Authorization: Token <key>` or use a session.",
    "403": "Your role may not do this.",
    "404": "No such object (or page).",
    "405": "Method not allowed here.",
    "409": "Not possible in the object's current state, or lost a race with a colleague.",
    "415": "Send JSON (Content-Type: application/json).",
    "429": "Too many attempts; wait and try again.",
}

WRITE_ONLY = {"409", "415"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in WRITE_ONLY and method == "get":
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return result
