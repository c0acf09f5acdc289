"""Input checked against the forms the desk defines: one way for pages, API and tasks.

JSON bodies must also carry the types the API documents (complaints.jsontypes).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .jsontypes import form_type_errors


def validated(form_class, data):
    if not hasattr(data, "get"):
        raise ValidationError({"non_field_errors": [_("Send the fields as a JSON object.")]})
    wrong_types = form_type_errors(form_class, data)
    if wrong_types:
        raise ValidationError(wrong_types)
    form = form_class(data=data)
    if not form.is_valid():
        raise ValidationError(
            {field: [e["message"] for e in errors] for field, errors in form.errors.get_json_data().items()}
        )
    return form.cleaned_data
