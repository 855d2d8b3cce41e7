"""The applicant's withdrawal: an optional reason, checked like any other field."""

from django import forms

REASON_MAX_LENGTH = 1000


class WithdrawalForm(forms.Form):
    # A form rather than the raw post: a reason too long, or with a NUL character that
    # PostgreSQL refuses, comes back with an error next to it instead of failing.
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)
