from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from partnerships import directory, selectors

# A page reached by its other language's slug (a shared link, the language switcher) is
# moved, for good, to its address in the page's language: /en/…/allemagne/ → /en/…/germany/.
from partnerships.forms import PartnerSearchForm


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    all_destinations = selectors.destinations()
    form = PartnerSearchForm(request.GET or None, destinations=all_destinations)
    search = form.search()
    form.offer(directory.partner_facets(search, all_destinations))
    found = directory.partner_directory(search, all_destinations)
    return render(
        request,
        "partnerships/partner_list.html",
        {
            "form": form,
            "search": search,
            "directory": found,
            "groups": found.groups,
            "result_count": found.count,
        },
    )


@require_safe
def destination_detail(request: HttpRequest, slug: str) -> HttpResponse:
    all_destinations = selectors.destinations()
    destination = selectors.destination_page(slug, all_destinations)
    if slug != destination.url_slug:
        return redirect(destination, permanent=True)
    institutions = selectors.destination_partners(destination, all_destinations)
    return render(
        request,
        "partnerships/destination_detail.html",
        {
            "destination": destination,
            "page_object": destination,
            "institutions": institutions,
            "still_unknown": selectors.still_unknown(institutions),
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
            "agreements": [selectors.agreement_details(a) for a in institution.agreements_in_force],
        },
    )


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = selectors.network_page(slug)
    if slug != network.url_slug:
        return redirect(network, permanent=True)
    all_destinations = selectors.destinations()
    memberships = selectors.network_page_memberships(network)
    agreements = list(selectors.agreements_in_force().filter(network=network))
    return render(
        request,
        "partnerships/network_detail.html",
        {
            "network": network,
            "page_object": network,
            "sides": selectors.network_sides(memberships, all_destinations),
            "member_count": len(memberships),
            "destinations": [d for d in all_destinations if d.network_id == network.pk],
            "agreements": agreements,
            "agreements_without_programmes": [a for a in agreements if not a.programmes.all()],
            "funding": selectors.funding_by_funder(network),
        },
    )
