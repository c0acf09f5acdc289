"""JSON bodies must carry the types the API documents: text as strings, flags as booleans.

Django forms and DRF fields happily turn 0 into "0" or "yes" into True; for a JSON API
that hides client bugs (and the OpenAPI schema promises otherwise), so JSON input is
checked for its types before the usual validation. HTML form posts (all strings) are
not affected.
"""

from django import forms
from django.utils.translation import gettext as _


class JsonObject(dict):
    """A request body that arrived as a JSON object (see complaints.api.parsers)."""


def _kind_of_form_field(field):
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, (forms.DecimalField, forms.FloatField)):
        return "string"  # documented as a decimal string, e.g. "50.00"
    if isinstance(field, forms.ModelChoiceField) and field.to_field_name is None:
        return "integer"
    if isinstance(field, forms.IntegerField):
        return "integer"
    return "string"


def _kind_of_serializer_field(field):
    from rest_framework import relations, serializers

    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, (serializers.IntegerField, relations.PrimaryKeyRelatedField)):
        return "integer"
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, relations.SlugRelatedField)):
        return "string"
    if isinstance(field, (serializers.DateField, serializers.DateTimeField, serializers.DecimalField)):
        return "string"
    return None


MESSAGES = {
    "string": lambda: _("Send this as text (a JSON string)."),
    "boolean": lambda: _("Send true or false."),
    "integer": lambda: _("Send a whole number."),
}


def _matches(kind, value):
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return True


def is_json_object(data):
    # Only bodies parsed from JSON are checked; Python callers pass dates and decimals.
    return isinstance(data, JsonObject)


def type_errors(fields, data, kind_of):
    """{name: [message]} for each value in a JSON object whose type is not the documented one."""
    if not is_json_object(data):
        return {}
    errors = {}
    for name, field in fields.items():
        if name not in data or data[name] is None:
            continue
        kind = kind_of(field)
        if kind and not _matches(kind, data[name]):
            errors[name] = [MESSAGES[kind]()]
    return errors


def form_type_errors(form_class, data):
    return type_errors(form_class.base_fields, data, _kind_of_form_field)


def serializer_type_errors(serializer, data):
    writable = {name: field for name, field in serializer.fields.items() if not field.read_only}
    return type_errors(writable, data, _kind_of_serializer_field)


class StrictJsonTypesMixin:
    """For DRF serializers: refuse JSON values whose type differs from the schema's."""

    def to_internal_value(self, data):
        from rest_framework.exceptions import ValidationError

        errors = serializer_type_errors(self, data)
        if errors:
            raise ValidationError(errors)
        return super().to_internal_value(data)
