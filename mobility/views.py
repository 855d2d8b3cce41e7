import secrets

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mobility import form_page, selectors, services, testimonial_services
from mobility.forms import ApplicationForm, TestimonialForm, WithdrawalForm
from mobility.forms.errors import error_summary_context
from mobility.models import Application
from mobility.models.applications import Status
from mobility.ratelimit import limit_exceeded, too_many_requests
from mobility.statistics.figures import mobility_statistics
from mobility.statistics.public import figures_page
from uploads.downloads import private_download

CONFIRMATION_SESSION_KEY = "mobility_confirmation"


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page, sections = selectors.published_calls(request.GET.get("page"))
    return render(request, "mobility/index.html", {"page_obj": page, "sections": sections})


@require_safe
def figures(request: HttpRequest) -> HttpResponse:
    # Left out of the whole-page cache (irts_portal.page_cache): a decision on an application
    # changes these figures without bumping the public content version. Rendered on each
    # request from a fixed number of grouped queries, it shows a new mobility at once.
    return render(request, "mobility/figures.html", {"page": figures_page(mobility_statistics())})


@require_safe
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.call_for_page(slug)
    if slug != call.url_slug:  # reached by the other language's slug: its address in this one
        return redirect(call, permanent=True)
    return render(request, "mobility/call_detail.html", {"call": call, "page_object": call})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    if stored := form_page.stored_form_page(request, slug):
        return stored
    call = selectors.call_for_page(slug)
    if slug != call.url_slug:
        return redirect("mobility:apply", slug=call.url_slug, permanent=True)
    if not call.is_open():
        # Also refuses a crafted POST to a closed or not yet open call.
        messages.error(
            request, _("Cet appel à candidatures n’est pas ouvert : il n’accepte pas de candidature.")
        )
        return redirect(call)
    if request.method != "POST":
        if not form_page.may_be_shared(request):
            form = ApplicationForm(call=call, initial={"submission_key": secrets.token_urlsafe(32)})
            return _render_form(request, call, form)
        form = ApplicationForm(call=call, initial={"submission_key": form_page.KEY_STAND_IN})
        shared = _render_form(request, call, form, csrf_token=form_page.CSRF_STAND_IN)
        return form_page.form_page_store(request, call, shared)

    if limit_exceeded(request, "apply", settings.PORTAL_SUBMISSIONS_PER_HOUR):
        return too_many_requests(request)
    form = ApplicationForm(request.POST, request.FILES, call=call)
    if not form.is_valid():
        form.link_errors_to_fields()
        return _render_form(request, call, form)
    try:
        application, _created = services.application_submit(
            call=call,
            submission_key=form.cleaned_data["submission_key"],
            applicant=form.applicant(),
            choices=form.chosen_destinations(),
            languages=form.languages(),
            documents=form.documents(),
            language=request.LANGUAGE_CODE,
        )
    except services.CallClosed as closed:
        messages.error(request, closed.messages[0])
        return redirect(call)
    request.session[CONFIRMATION_SESSION_KEY] = application.pk
    return redirect("mobility:confirmation")


def _render_form(request: HttpRequest, call, form: ApplicationForm, **extra_context) -> HttpResponse:
    context = {
        **extra_context,
        "call": call,
        "form": form,
        **error_summary_context(form),
        # Browsers do not refill file inputs: say so only to those who had chosen files.
        "files_to_choose_again": form.is_bound and bool(request.FILES),
    }
    return render(request, "mobility/application_form.html", context)


@never_cache
@require_safe
def confirmation(request: HttpRequest) -> HttpResponse:
    application_id = request.session.get(CONFIRMATION_SESSION_KEY)
    if application_id is None:
        raise Http404
    application = Application.objects.select_related("call").filter(pk=application_id).first()
    if application is None:
        raise Http404
    return render(request, "mobility/application_confirmation.html", {"application": application})


@never_cache
@require_safe
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    application = selectors.application_for_token(token)
    context = {
        "application": application,
        "token": token,
        "can_withdraw": services.can_withdraw(application),
        # Once the mobility is completed: the link to tell about it, as the invitation gave it.
        "testimonial_url": application.get_testimonial_url() if application.testimonial_token_hash else None,
    }
    response = render(request, "mobility/follow_up.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    application = selectors.application_for_token(token)
    if not services.can_withdraw(application):
        messages.info(request, _("Cette candidature ne peut plus être retirée."))
        return redirect("mobility:follow_up", token=token)
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        context = {"application": application, "token": token, "form": form}
        return render(request, "mobility/withdraw_confirm.html", context)
    try:
        services.application_transition(
            application=application,
            to_status=Status.WITHDRAWN,
            by_applicant=True,
            comment=form.cleaned_data["reason"],
        )
    except services.TransitionRefused as refused:
        # Staff decided in the meantime: say so rather than fail.
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request, _("Votre candidature a été retirée. Un courriel de confirmation vous a été envoyé.")
        )
    return redirect("mobility:follow_up", token=token)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def testimonial(request: HttpRequest, token: str) -> HttpResponse:
    access = selectors.testimonial_access_for_token(token)
    if request.method != "POST":
        initial = {}
        if access.testimonial is not None:
            written = access.testimonial
            initial = {
                "text": written.text,
                "display_name": written.display_name,
                "photo_alt": written.photo_alt,
            }
        return _render_testimonial(
            request,
            token,
            access,
            TestimonialForm(
                initial=initial, institutions=access.institutions, testimonial=access.testimonial
            ),
        )
    form = TestimonialForm(
        request.POST, request.FILES, institutions=access.institutions, testimonial=access.testimonial
    )
    if not form.is_valid():
        form.link_errors_to_fields()
        return _render_testimonial(request, token, access, form)
    testimonial_services.testimonial_save(
        application=access.application, testimonial=access.testimonial, content=form.content()
    )
    messages.success(
        request,
        _(
            "Merci ! Votre témoignage est enregistré. Il sera publié après relecture par le service "
            "des relations internationales."
        ),
    )
    return redirect("mobility:testimonial", token=token)


def _render_testimonial(
    request: HttpRequest, token: str, access: selectors.TestimonialAccess, form: TestimonialForm
) -> HttpResponse:
    context = {
        "token": token,
        "testimonial": access.testimonial,
        "form": form,
        **error_summary_context(form),
        "files_to_choose_again": form.is_bound and bool(request.FILES),
    }
    response = render(request, "mobility/testimonial_form.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def testimonial_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    access = selectors.testimonial_access_for_token(token)
    if access.testimonial is None:
        return redirect("mobility:testimonial", token=token)
    if request.method != "POST":
        return render(request, "mobility/testimonial_withdraw.html", {"token": token})
    testimonial_services.testimonial_withdraw(testimonial=access.testimonial, actor=None)
    messages.success(request, _("Votre témoignage et sa photo sont supprimés : ils ne sont plus publiés."))
    if access.application is None:
        # Deleted under the retention period: the link now opens nothing, the message goes home.
        return redirect("mobility:index")
    return redirect("mobility:testimonial", token=token)


@require_safe
def testimonial_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A testimonial's photo: to anyone once published, before that to the staff who moderate."""
    testimonial = selectors.testimonial_with_photo(pk)
    if not (testimonial.is_published or request.user.has_perm("mobility.view_testimonial")):
        raise Http404
    try:
        handle = testimonial.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    content_type = "image/png" if testimonial.photo.name.endswith(".png") else "image/jpeg"
    response = private_download(FileResponse(handle, content_type=content_type))
    if testimonial.is_published:
        # Anyone may keep it, but asks again each time: a withdrawn photo must not outlive its page.
        response["Cache-Control"] = "no-cache"
    return response
