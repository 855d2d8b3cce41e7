"""Staff accounts in the admin: Django's own user and group admins, and django-axes' login records,
with valid HTML for the password summary and only their declared list filters."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.models import Group, User

from backoffice.admin.changelist import ChangeListMixin


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """Django's summary of a password, without the `disabled` attribute it puts on a <div>.

    The field is disabled so that nothing posted can change the password; on the <div> that
    shows it, the attribute is invalid HTML and means nothing to browsers or screen readers.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class StaffUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.widget = PasswordSummaryWidget()


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(ChangeListMixin, UserAdmin):
    form = StaffUserChangeForm


# The same admins as their libraries', with only their declared list filters.
for model, library_admin in (
    (Group, GroupAdmin),
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
):
    admin.site.unregister(model)
    admin.site.register(model, type(library_admin.__name__, (ChangeListMixin, library_admin), {}))
