"""The public application and withdrawal forms, its fields and how its errors are shown."""

from mobility.forms.application import ApplicationForm
from mobility.forms.withdrawal import WithdrawalForm

__all__ = ["ApplicationForm", "WithdrawalForm"]
