"""An application's status in the admin: the buttons on its page, and the page of each move.

Every move goes through `mobility.services`: a step of the workflow through
`application_transition`, the reversal of a decision (back to « en cours d’examen ») through
`application_decision_revert`. Both pages ask for a comment, and whether the applicant reads
it, with no answer chosen beforehand. Both sit behind the same URL and the same permission,
`mobility.change_application_status`: a reversal is a move to « en cours d’examen ».
"""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backoffice.forms.mobility import DecisionRevertForm, TransitionForm
from mobility import services
from mobility.models import Application, StatusChange
from mobility.models.applications import FINAL_STATUSES, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    # What the mixin builds on, for the type checker; at run time it mixes into a ModelAdmin.
    _ModelAdmin = ModelAdmin
else:
    _ModelAdmin = object

# What each button says: the reviewer's act, rather than the status it leads to.
TRANSITION_LABELS: "dict[str, StrOrPromise]" = {
    Status.UNDER_REVIEW: _("Mettre en examen"),
    Status.ACCEPTED: _("Accepter"),
    Status.WAITLISTED: _("Mettre sur liste d’attente"),
    Status.REJECTED: _("Refuser"),
    Status.DEPARTED: _("Indiquer le départ en mobilité"),
    Status.COMPLETED: _("Indiquer la fin de la mobilité"),
}
REVERT_LABEL = _("Annuler la décision")
HISTORY_COLUMNS = ("from_status", "to_status", "changed_by", "changed_at", "comment", "visible_to_applicant")
TEMPLATE = "admin/mobility/application/transition.html"


class ApplicationStatusMixin(_ModelAdmin):
    """The status panel of the application's page, and the view behind its buttons."""

    def has_change_status_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("mobility.change_application_status") and self.has_view_permission(
            request, obj
        )

    def status_context(self, request, application: Application) -> dict:
        """The status, its buttons and its history, for the application's page."""
        can_change_status = self.has_change_status_permission(request, application)
        allowed = services.allowed_transitions(application)
        reversible = services.decision_reversal_refusal(application=application) is None
        transitions = []
        if can_change_status:
            transitions = [
                {
                    "status": status,
                    "label": TRANSITION_LABELS.get(status, status),
                    "url": self.transition_url(application, status),
                }
                for status in allowed
            ]
        history = list(application.history.select_related("changed_by"))
        for change in history:
            change.reverts_decision = services.reverts_decision(  # type: ignore[attr-defined]
                from_status=change.from_status, to_status=change.to_status
            )
        return {
            "can_change_status": can_change_status,
            "status_transitions": transitions,
            "decision_revert_url": (
                self.transition_url(application, Status.UNDER_REVIEW)
                if can_change_status and reversible
                else None
            ),
            "decision_revert_label": REVERT_LABEL,
            # No move left in the workflow for staff.
            "status_is_final": not allowed,
            "status_history": history,
            "history_headers": [
                StatusChange._meta.get_field(name).verbose_name  # type: ignore[union-attr]  # plain fields
                for name in HISTORY_COLUMNS
            ],
        }

    def transition_url(self, application: Application, status: str) -> str:
        return reverse(
            f"{self.admin_site.name}:mobility_application_transition", args=[quote(application.pk), status]
        )

    def transition_view(self, request, object_id, to_status):
        """A comment, then the service moves the application to `to_status`, or says why not.

        « En cours d’examen » asked of an application that holds a decision is the reversal of
        that decision, with its own form: a required reason.
        """
        application = self.get_object(request, unquote(object_id))
        if not self.has_change_status_permission(request, application):
            raise PermissionDenied
        if application is None:
            raise Http404(_("Cette candidature n’existe pas."))
        if to_status not in Status.values:
            raise Http404(_("Ce statut n’existe pas."))
        if services.reverts_decision(from_status=application.status, to_status=to_status):
            return self._decision_revert(request, application)
        return self._transition(request, application, to_status)

    def _transition(self, request, application: Application, to_status: str):
        change_url = self._change_url(application)
        labels: dict[str, StrOrPromise] = dict(Status.choices)
        form = TransitionForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.application_transition(
                    application=application,
                    to_status=to_status,
                    actor=request.user,
                    comment=form.cleaned_data["comment"],
                    visible_to_applicant=form.cleaned_data["visible_to_applicant"],
                )
            except services.TransitionRefused as error:
                # The service has the last word, and its message says what is possible instead.
                for message in error.messages:
                    messages.error(request, message)
                return redirect(change_url)
            messages.success(
                request,
                _(
                    "La candidature %(reference)s est maintenant « %(status)s ». "
                    "Un e-mail en informe la personne candidate."
                )
                % {"reference": application.reference, "status": labels[to_status]},
            )
            return redirect(change_url)
        refusal = services.transition_refusal(application=application, to_status=to_status)
        if refusal:
            # A stale button or a crafted address: the service says why, on the application's page.
            messages.error(request, refusal)
            return redirect(change_url)
        return self._status_page(
            request,
            application,
            form=form,
            title=TRANSITION_LABELS.get(to_status, labels[to_status]),
            target=to_status,
            warning=self._final_warning(to_status),
        )

    def _decision_revert(self, request, application: Application):
        change_url = self._change_url(application)
        form = DecisionRevertForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.application_decision_revert(
                    application=application,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    visible_to_applicant=form.cleaned_data["visible_to_applicant"],
                )
            except services.TransitionRefused as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(change_url)
            messages.success(
                request,
                _(
                    "La décision sur la candidature %(reference)s est annulée : elle est de nouveau "
                    "« %(status)s ». Un e-mail en informe la personne candidate."
                )
                % {"reference": application.reference, "status": Status.UNDER_REVIEW.label},
            )
            return redirect(change_url)
        return self._status_page(
            request,
            application,
            form=form,
            title=REVERT_LABEL,
            target=Status.UNDER_REVIEW,
            warning=_(
                "La décision « %(status)s » sera annulée et la candidature examinée de nouveau. "
                "Le motif est gardé dans l’historique des statuts."
            )
            % {"status": application.get_status_display()},
        )

    def _final_warning(self, to_status: str) -> str | None:
        if to_status not in FINAL_STATUSES:
            return None
        if to_status in services.REVERSIBLE_DECISIONS:
            return str(
                _(
                    "Ce statut est définitif : seule l’annulation de la décision, avec un motif, "
                    "pourra le changer."
                )
            )
        return str(_("Ce statut est définitif : la candidature ne pourra plus en changer."))

    def _status_page(self, request, application: Application, *, form, title, target: str, warning):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(application),
            "opts": self.opts,
            "application": application,
            "form": form,
            "target_label": Status(target).label,
            "warning": warning,
            "change_url": self._change_url(application),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, TEMPLATE, context)

    def _change_url(self, application: Application) -> str:
        return reverse(f"{self.admin_site.name}:mobility_application_change", args=[quote(application.pk)])
