from rest_framework.parsers import JSONParser

from ..jsontypes import JsonObject


class TypedJSONParser(JSONParser):
    """JSON bodies, marked so that services can hold them to the documented types."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        return JsonObject(data) if isinstance(data, dict) else data
