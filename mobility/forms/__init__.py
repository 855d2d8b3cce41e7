"""The public application, withdrawal and testimonial forms, its fields and how its errors are shown."""

from mobility.forms.application import ApplicationForm
from mobility.forms.testimonial import TestimonialForm
from mobility.forms.withdrawal import WithdrawalForm

__all__ = ["ApplicationForm", "TestimonialForm", "WithdrawalForm"]
