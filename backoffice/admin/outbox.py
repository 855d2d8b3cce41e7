"""The mail outbox, for the portal's administrators: each mail's recipients, subject, state and
attempts, and an action that sends again the mails given up on (backoffice.outbox).

Superusers only: the mails to applicants hold their follow-up links, which act for them. What a
mail says is shown read-only; nothing is written here but a new attempt. The library's own admins
(templates, attachments, a page that renders a mail's HTML) are left out, the portal using none
of it, and its labels, in English only, are given in French here.
"""

# Imported first, so that its admins are registered before they are removed below (the admin
# site's autodiscovery would otherwise import it after this module, and register them again).
import post_office.admin  # noqa: F401
from django.contrib import admin, messages
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from post_office.models import STATUS, Attachment, Email, EmailTemplate, Log

from backoffice.admin.base import ReadOnlyAdminMixin
from backoffice.admin.changelist import ChangeListMixin
from backoffice.models import OutboxMail
from backoffice.outbox import outbox_deliver

for _model in (Email, Log, EmailTemplate, Attachment):
    admin.site.unregister(_model)

STATUS_LABELS = {
    STATUS.sent: _("remis"),
    STATUS.queued: _("à envoyer"),
    STATUS.requeued: _("à retenter"),
    STATUS.failed: _("abandonné"),
}


def _moment(moment, style: str = "DATETIME_FORMAT") -> str:
    return date_format(timezone.localtime(moment), style)


class SuperusersOnlyMixin(ReadOnlyAdminMixin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class StatusFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [(str(status), label) for status, label in STATUS_LABELS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in {str(status) for status in STATUS_LABELS}:
            return queryset.none()
        return queryset.filter(status=int(value))


@admin.register(OutboxMail)
class OutboxAdmin(SuperusersOnlyMixin, ChangeListMixin, admin.ModelAdmin):
    # Four columns, so that the list fits a 1280 px screen beside its filter.
    list_display = ["mail_subject", "recipients", "state_summary", "written_at"]
    list_filter = [StatusFilter]
    search_fields = ["subject", "to"]
    ordering = ["-created"]
    show_full_result_count = False
    fields = readonly_fields = (
        "mail_subject",
        "sender",
        "recipients",
        "state",
        "attempts",
        "next_attempt",
        "written_at",
        "text",
        "attempts_table",
    )
    actions = ["send_again"]
    # Not the library's, which adds its own preview and resend pages.
    change_form_template = "admin/change_form.html"

    @admin.display(description=_("objet"), ordering="subject")
    def mail_subject(self, mail):
        return mail.subject

    @admin.display(description=_("expéditeur"))
    def sender(self, mail):
        return mail.from_email

    @admin.display(description=_("destinataires"))
    def recipients(self, mail):
        return ", ".join(mail.to)

    @admin.display(description=_("état"), ordering="status")
    def state(self, mail):
        return STATUS_LABELS.get(mail.status, "")

    @admin.display(description=_("état"), ordering="status")
    def state_summary(self, mail):
        failures = mail.number_of_retries or 0
        if mail.status == STATUS.requeued and mail.scheduled_time:
            return ngettext(
                "à retenter le %(moment)s, après %(count)d échec",
                "à retenter le %(moment)s, après %(count)d échecs",
                failures,
            ) % {
                "moment": date_format(timezone.localtime(mail.scheduled_time), "SHORT_DATETIME_FORMAT"),
                "count": failures,
            }
        if mail.status == STATUS.failed:
            return ngettext(
                "abandonné après %(count)d échec", "abandonné après %(count)d échecs", failures
            ) % {"count": failures}
        return STATUS_LABELS.get(mail.status, "")

    @admin.display(description=_("tentatives échouées"))
    def attempts(self, mail):
        return mail.number_of_retries or 0

    @admin.display(description=_("prochaine tentative"), ordering="scheduled_time")
    def next_attempt(self, mail):
        return _moment(mail.scheduled_time) if mail.status == STATUS.requeued and mail.scheduled_time else ""

    @admin.display(description=_("écrit le"), ordering="created")
    def written_at(self, mail):
        return _moment(mail.created)

    @admin.display(description=_("tentatives d’envoi"))
    def attempts_table(self, mail):
        attempts = mail.logs.order_by("date")
        if not attempts:
            return _("aucune pour l’instant")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _moment(attempt.date),
                    STATUS_LABELS[STATUS.sent] if attempt.status == STATUS.sent else _("échec"),
                    " — ".join(part for part in (attempt.exception_type, attempt.message) if part),
                )
                for attempt in attempts
            ),
        )
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            _("le"),
            _("résultat"),
            _("réponse du serveur"),
            rows,
        )

    @admin.display(description=_("texte"))
    def text(self, mail):
        return linebreaksbr(mail.message)

    @admin.action(description=_("Envoyer à nouveau les e-mails sélectionnés"))
    def send_again(self, request, queryset):
        ids = list(queryset.exclude(status=STATUS.sent).values_list("pk", flat=True))
        Email.objects.filter(pk__in=ids).update(
            status=STATUS.queued, number_of_retries=0, scheduled_time=None
        )
        sent, requeued, failed = outbox_deliver(Email.objects.filter(pk__in=ids, status=STATUS.queued))
        if sent:
            messages.success(
                request,
                ngettext("%(count)d e-mail envoyé.", "%(count)d e-mails envoyés.", sent) % {"count": sent},
            )
        if requeued or failed:
            messages.warning(
                request,
                ngettext(
                    "%(count)d e-mail toujours pas remis : le serveur de messagerie refuse ou ne répond pas. "
                    "Il sera retenté automatiquement ; chaque tentative est sur la page de l’e-mail.",
                    "%(count)d e-mails toujours pas remis : le serveur de messagerie refuse ou ne répond pas. "
                    "Ils seront retentés automatiquement ; chaque tentative est sur la page de chaque e-mail.",
                    requeued + failed,
                )
                % {"count": requeued + failed},
            )
        skipped = queryset.count() - len(ids)
        if skipped:
            messages.info(
                request,
                ngettext(
                    "%(count)d e-mail déjà remis, laissé tel quel.",
                    "%(count)d e-mails déjà remis, laissés tels quels.",
                    skipped,
                )
                % {"count": skipped},
            )
