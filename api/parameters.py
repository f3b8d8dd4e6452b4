"""Query-string parameters described from a pydantic model, for operations that read request.GET themselves.

The search API parses its query string with search.params, as the search page does (repeated
parameters, its own messages, one 400 for every problem), so ninja must not validate it: the
model only describes the parameters in the OpenAPI document.
"""
from ninja.schema import NinjaGenerateJsonSchema

# Characters search.params refuses in any value: control characters (tab and line breaks are
# whitespace) and U+FFFD, which stands for bytes that were not UTF-8.
PLAIN_TEXT = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]*$"


def query_parameters(model) -> dict:
    """`openapi_extra` for an operation: one query parameter per field of `model`, by its alias."""
    schema = model.model_json_schema(by_alias=True, schema_generator=NinjaGenerateJsonSchema)
    required = set(schema.get("required", ()))
    parameters = []
    for name, field in schema["properties"].items():
        field = dict(field)
        field.pop("title", None)
        description = field.pop("description", "")
        parameters.append({"in": "query", "name": name, "required": name in required,
                           "description": description, "schema": field})
    return {"parameters": parameters}
