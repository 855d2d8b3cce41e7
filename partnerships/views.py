from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from partnerships import directory, open_data, selectors

# A page reached by its other language's slug (a shared link, the language switcher) is
# moved, for good, to its address in the page's language: /en/…/allemagne/ → /en/…/germany/.
from partnerships.forms import PartnerSearchForm


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    all_destinations = selectors.destinations()
    form = PartnerSearchForm(request.GET or None, destinations=all_destinations)
    search = form.search()
    form.offer(directory.partner_facets(search, all_destinations))
    found = directory.partner_directory(search, all_destinations, request.GET.get("page"))
    # The same search as open data: every page of it, hence without the page number.
    data_query = request.GET.copy()
    data_query.pop("page", None)
    return render(
        request,
        "partnerships/partner_list.html",
        {
            "form": form,
            "search": search,
            "directory": found,
            "groups": found.groups,
            "result_count": found.count,
            "page_obj": found.page,
            "data_query": f"?{data_query.urlencode()}" if data_query else "",
            # The map shows every partner: beside a search's results, it would contradict them.
            "partner_maps": None if search.is_active else selectors.partner_maps(all_destinations),
        },
    )


@require_safe
def partners_data(request: HttpRequest, data_format: str) -> HttpResponse:
    """The partners the page lists for the same query string, as open data (CSV or JSON)."""
    all_destinations = selectors.destinations()
    form = PartnerSearchForm(request.GET or None, destinations=all_destinations)
    partners = (
        directory.matching_partners(form.search(), all_destinations)
        .prefetch_related(Prefetch("memberships", queryset=selectors.memberships_in_order()))
        .order_by("search_text", "pk")
    )
    rows = open_data.partner_rows(partners)
    if data_format == "csv":
        response = HttpResponse(open_data.partners_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="partenaires-irts-normandie-caen.csv"'
        return response
    filters = {name: str(value) for name, value in request.GET.items() if name != "page" and value}
    return JsonResponse(
        open_data.partners_json(rows, filters), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )


@require_safe
def destination_detail(request: HttpRequest, slug: str) -> HttpResponse:
    all_destinations = selectors.destinations()
    destination = selectors.destination_page(slug, all_destinations)
    if slug != destination.url_slug:
        return redirect(destination, permanent=True)
    page = selectors.destination_partners(destination, all_destinations, request.GET.get("page"))
    return render(
        request,
        "partnerships/destination_detail.html",
        {
            "destination": destination,
            "page_object": destination,
            "page_obj": page,
            "institutions": page.object_list,
            "still_unknown": selectors.still_unknown(page.object_list),
        },
    )


@require_safe
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.institution_page(slug)
    if slug != institution.url_slug:
        return redirect(institution, permanent=True)
    return render(
        request,
        "partnerships/institution_detail.html",
        {
            "institution": institution,
            "page_object": institution,
            "agreements_page": selectors.institution_agreements(institution, request.GET.get("page")),
        },
    )


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = selectors.network_page(slug)
    if slug != network.url_slug:
        return redirect(network, permanent=True)
    all_destinations = selectors.destinations()
    members = selectors.network_members(network, all_destinations, request.GET.get("page"))
    agreements = selectors.network_agreements(network, request.GET.get("agreements_page"))
    return render(
        request,
        "partnerships/network_detail.html",
        {
            "network": network,
            "page_object": network,
            "members_page": members,
            "sides": selectors.network_sides(members, all_destinations),
            "member_count": members.paginator.count,
            "destinations": [d for d in all_destinations if d.network_id == network.pk],
            "agreements_page": agreements,
            "agreements": agreements.object_list,
            "agreements_without_programmes": [a for a in agreements if not a.programmes.all()],
            "funding": selectors.funding_by_funder(network),
        },
    )
