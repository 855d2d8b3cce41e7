from django.urls import path
from django.utils.translation import gettext_lazy as _

from activities import views
from activities.feeds import NetworkActivitiesFeed

app_name = "activities"

# Under a network's page: /fr/partenaires/reseaux/<réseau>/activites/…
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("atom.xml", NetworkActivitiesFeed(), name="feed"),
    path(_("agenda.ics"), views.activity_calendar, name="calendar"),
    path("<slug:slug>/", views.activity_detail, name="detail"),
    path(_("<slug:slug>/document.pdf"), views.activity_document, name="document"),
]
