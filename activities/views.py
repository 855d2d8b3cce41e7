from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from activities import selectors
from activities.calendar import upcoming_events_calendar
from activities.forms import ActivityFilterForm


@require_safe
def activity_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = selectors.network_of_activities(network_slug)
    if network_slug != network.url_slug:
        response = redirect("activities:list", network_slug=network.url_slug, permanent=True)
        # A shared link keeps its filters and page in the other language's address.
        if request.GET:
            response["Location"] += f"?{request.GET.urlencode()}"
        return response
    form = ActivityFilterForm(request.GET or None, years=selectors.activity_years(network))
    kind, year = form.filters()
    page = selectors.activity_page(network, kind=kind, year=year, page_number=request.GET.get("page"))
    return render(
        request,
        "activities/activity_list.html",
        {"network": network, "form": form, "page_obj": page, "activities": page.object_list},
    )


@require_safe
def activity_detail(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    network = selectors.network_of_activities(network_slug)
    activity = selectors.activity_detail(network, slug)
    if network_slug != network.url_slug or slug != activity.url_slug:
        return redirect(activity, permanent=True)
    return render(request, "activities/activity_detail.html", {"network": network, "activity": activity})


@require_safe
def activity_document(request: HttpRequest, network_slug: str, slug: str) -> FileResponse:
    """The activity's public PDF, shown by the browser's viewer, never re-typed by it."""
    activity = selectors.activity_detail(selectors.network_of_activities(network_slug), slug)
    if not activity.document:
        raise Http404
    try:
        handle = activity.document.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type="application/pdf", filename=f"{activity.slug}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    # Checked again at each reading: an activity taken off the site takes its PDF away at once.
    response["Cache-Control"] = "public, no-cache"
    return response


@require_safe
def activity_calendar(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = selectors.network_of_activities(network_slug)
    events = selectors.published_activities(network).upcoming_events()
    response = HttpResponse(
        upcoming_events_calendar(network, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{network.slug}.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
