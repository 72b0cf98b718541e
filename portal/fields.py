"""Form fields that keep what a person types within what the database can compare.

Django's model choice fields pass the submitted ids straight into a query; an id beyond the
64-bit range makes SQLite raise ``OverflowError`` (a 500). These refuse it as an invalid
choice first, with Django's own message."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

PK_MIN, PK_MAX = -(2**63), 2**63 - 1


def _in_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True  # not a number at all: Django's own check refuses it
    return PK_MIN <= number <= PK_MAX


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _in_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            if not _in_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def bounded_filter(filter_class):
    """A django-filter model choice filter whose field refuses out-of-range ids the same way."""
    base_field = filter_class.field_class

    class Field(base_field):
        def to_python(self, value):
            if value not in self.empty_values and not _in_range(value):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": value},
                )
            return super().to_python(value)

    return type(f"Bounded{filter_class.__name__}", (filter_class,), {"field_class": Field})
