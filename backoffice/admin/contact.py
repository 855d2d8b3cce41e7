"""Messages from the public contact form, for the staff who answer them.

What the sender wrote is shown read-only. Staff only say whether a message is handled,
from its page or from the list, through `contact.services.contact_messages_mark`; deleting
goes through `contact.services.contact_messages_delete`, which also removes the admin's log
entries about the message. Handled messages are purged after the retention period
(`backoffice.retention`).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from backoffice.admin.base import fieldset_fields
from backoffice.admin.changelist import ChangeListMixin
from contact.models import ContactMessage
from contact.services import contact_messages_delete, contact_messages_mark
from mobility.models import Application


class HandledFilter(admin.SimpleListFilter):
    title = _("traitement")
    parameter_name = "traite"

    def lookups(self, request, model_admin):
        return [("non", _("à traiter")), ("oui", _("traités"))]

    def queryset(self, request, queryset):
        if self.value() == "non":
            return queryset.waiting()
        if self.value() == "oui":
            return queryset.handled()
        return queryset


class ContactMessageForm(forms.ModelForm):
    """The one thing staff change: whether the message is handled."""

    is_handled = forms.BooleanField(
        label=_("traité"),
        required=False,
        help_text=_(
            "Cochez cette case une fois la réponse envoyée ; décochez-la pour remettre le message à traiter."
        ),
    )

    class Meta:
        model = ContactMessage
        fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["is_handled"].initial = self.instance.is_handled


@admin.register(ContactMessage)
class ContactMessageAdmin(ChangeListMixin, admin.ModelAdmin):
    form = ContactMessageForm
    list_display = ["received_at", "subject", "name", "application_reference", "language", "handling"]
    list_display_links = ["received_at", "subject"]
    list_filter = [HandledFilter, "language"]
    list_select_related = ["handled_by"]
    search_fields = ["name", "email", "subject", "application_reference"]
    date_hierarchy = "received_at"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "received_at",
                    "name",
                    "email_link",
                    "language",
                    "application_link",
                    "subject",
                    "body_text",
                ]
            },
        ),
        (_("Traitement"), {"fields": ["handling", "is_handled"]}),
    ]
    # Everything shown is read-only but the "handled" box: the message is the sender's.
    readonly_fields = fieldset_fields(fieldsets, editable=("is_handled",))
    actions = ["mark_handled", "mark_waiting"]

    def has_add_permission(self, request):
        # Messages come only from the public form.
        return False

    @admin.display(description=_("adresse électronique"))
    def email_link(self, message):
        return format_html('<a href="mailto:{}">{}</a>', message.email, message.email)

    @admin.display(description=_("référence de candidature"))
    def application_link(self, message):
        reference = message.application_reference
        if not reference:
            return "—"
        application = Application.objects.filter(reference=reference).only("pk").first()
        if application is None:
            return reference
        url = reverse("admin:mobility_application_change", args=[quote(application.pk)])
        return format_html('<a href="{}">{}</a>', url, reference)

    @admin.display(description=_("message"))
    def body_text(self, message):
        # Line breaks as the sender typed them; the text itself is escaped.
        return linebreaksbr(message.body, autoescape=True)

    @admin.display(description=_("traitement"), ordering="handled_at")
    def handling(self, message):
        if not message.is_handled:
            return gettext("à traiter")
        when = date_format(timezone.localtime(message.handled_at), "SHORT_DATE_FORMAT")
        if message.handled_by:
            return gettext("traité le %(date)s par %(user)s") % {
                "date": when,
                "user": message.handled_by.get_username(),
            }
        return gettext("traité le %(date)s") % {"date": when}

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fieldsets
        # Who may only read sees the state in words, without a disabled checkbox.
        return [
            (name, {"fields": [f for f in options["fields"] if f != "is_handled"]})
            for name, options in self.fieldsets
        ]

    def save_model(self, request, obj, form, change):
        # Only the handled state is written, through the service: the message stays as it was sent.
        contact_messages_mark(
            messages=ContactMessage.objects.filter(pk=obj.pk),
            handled=form.cleaned_data["is_handled"],
            actor=request.user,
        )

    def delete_model(self, request, obj):
        contact_messages_delete(messages=ContactMessage.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        contact_messages_delete(messages=queryset)

    @admin.action(description=_("Marquer comme traités"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = contact_messages_mark(messages=queryset, handled=True, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d message marqué comme traité.", "%(count)d messages marqués comme traités.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Remettre à traiter"), permissions=["change"])
    def mark_waiting(self, request, queryset):
        count = contact_messages_mark(messages=queryset, handled=False, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d message remis à traiter.", "%(count)d messages remis à traiter.", count)
            % {"count": count},
            messages.SUCCESS,
        )
