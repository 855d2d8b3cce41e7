from django.urls import path
from django.utils.translation import gettext_lazy as _

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("liste.csv"), views.partners_data, {"data_format": "csv"}, name="data_csv"),
    path(_("liste.json"), views.partners_data, {"data_format": "json"}, name="data_json"),
    path(_("destinations/<slug:slug>/"), views.destination_detail, name="destination"),
    path(_("etablissements/<slug:slug>/"), views.institution_detail, name="institution"),
    path(_("reseaux/<slug:slug>/"), views.network_detail, name="network"),
]
