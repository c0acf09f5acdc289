"""Describe a Django form as a DRF serializer, so the OpenAPI schema documents the
bodies that complaints.forms validates (the forms stay the single source of rules)."""

from django import forms
from rest_framework import serializers


def _field_for(form_field):
    common = {"required": form_field.required, "help_text": str(form_field.help_text) or None}
    if isinstance(form_field, forms.ModelChoiceField):
        if form_field.to_field_name is None:  # chosen by primary key (e.g. a user)
            return serializers.IntegerField(**common)
        codes = form_field.queryset.model._meta.get_field("code")
        return serializers.CharField(max_length=codes.max_length, **common)
    if isinstance(form_field, forms.ChoiceField):
        choices = [value for value, _label in form_field.choices if value != ""]
        return serializers.ChoiceField(choices=choices, allow_blank=not form_field.required, **common)
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(form_field, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(allow_null=not form_field.required, **common)
    if isinstance(form_field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=form_field.max_digits,
            decimal_places=form_field.decimal_places,
            min_value=form_field.min_value,
            allow_null=not form_field.required,
            **common,
        )
    if isinstance(form_field, forms.IntegerField):
        return serializers.IntegerField(
            min_value=form_field.min_value, max_value=form_field.max_value, **common
        )
    return serializers.CharField(
        max_length=form_field.max_length, allow_blank=not form_field.required, **common
    )


def serializer_for_form(form_class, name):
    fields = {key: _field_for(field) for key, field in form_class.base_fields.items()}
    return type(name, (serializers.Serializer,), fields)
