from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from partnerships import selectors
from partnerships.forms import PartnerSearchForm
from partnerships.models import Institution, Network


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    all_destinations = selectors.destinations()
    form = PartnerSearchForm(request.GET or None, destinations=all_destinations)
    search = form.search()
    groups = selectors.partner_directory(search, all_destinations)
    return render(
        request,
        "partnerships/partner_list.html",
        {
            "form": form,
            "search": search,
            "groups": groups,
            "result_count": sum(len(group.institutions) for group in groups),
        },
    )


@require_safe
def destination_detail(request: HttpRequest, slug: str) -> HttpResponse:
    all_destinations = selectors.destinations()
    destination = next((d for d in all_destinations if d.slug == slug), None)
    if destination is None:
        raise Http404
    return render(
        request,
        "partnerships/destination_detail.html",
        {
            "destination": destination,
            "institutions": selectors.destination_partners(destination, all_destinations),
        },
    )


@require_safe
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        institution = selectors.institution_page(slug)
    except Institution.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "partnerships/institution_detail.html", {"institution": institution})


@require_safe
def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(Network.objects.prefetch_related("objectives", "funding_periods"), slug=slug)
    all_destinations = selectors.destinations()
    memberships = selectors.network_page_memberships(network)
    return render(
        request,
        "partnerships/network_detail.html",
        {
            "network": network,
            "sides": selectors.network_sides(memberships, all_destinations),
            "member_count": len(memberships),
            "destinations": [d for d in all_destinations if d.network_id == network.pk],
            "agreements": list(selectors.agreements_in_force().filter(network=network)),
        },
    )
