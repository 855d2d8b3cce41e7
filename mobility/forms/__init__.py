"""The public application form, its fields and how its errors are shown."""

from mobility.forms.application import ApplicationForm

__all__ = ["ApplicationForm"]
