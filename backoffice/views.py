"""The back office's pages outside the admin site: asking for a new password.

Django's password-reset views, with the portal's form (active staff only), French mails whose
link starts with PORTAL_BASE_URL (never with the Host header a request claims), and a per-address
rate limit. The page that follows a request is the same whether the address is known or not, so
that it tells nobody who has an account.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from backoffice.forms.accounts import StaffPasswordResetForm
from mobility.ratelimit import limit_exceeded

# Requests per client address and hour: enough for typing mistakes, too few to flood a mailbox.
PASSWORD_RESETS_PER_HOUR = 5
SECONDS_PER_DAY = 24 * 60 * 60


def link_validity_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // SECONDS_PER_DAY)


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    template_name = "admin/password_reset/form.html"
    subject_template_name = "admin/password_reset/email_subject.txt"
    email_template_name = "admin/password_reset/email.txt"
    title = _("Mot de passe oublié")

    def form_valid(self, form: StaffPasswordResetForm) -> HttpResponse:
        if limit_exceeded(self.request, "staff-password-reset", PASSWORD_RESETS_PER_HOUR):
            form.add_error(
                None,
                _("Trop de demandes depuis votre connexion : patientez une heure avant de réessayer."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        self.extra_email_context = {"base_url": settings.PORTAL_BASE_URL, "link_days": link_validity_days()}
        return super().form_valid(form)


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "admin/password_reset/done.html"
    title = _("Consultez votre messagerie")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_days": link_validity_days()}
