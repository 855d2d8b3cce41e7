from django.urls import path
from django.utils.translation import gettext_lazy as _

from mobility import views

app_name = "mobility"

urlpatterns = [
    path("", views.index, name="index"),
    path(_("chiffres/"), views.figures, name="figures"),
    path(_("appels/<slug:slug>/"), views.call_detail, name="call"),
    path(_("appels/<slug:slug>/candidater/"), views.apply, name="apply"),
    path(_("candidature-envoyee/"), views.confirmation, name="confirmation"),
    path(_("suivi/<str:token>/"), views.follow_up, name="follow_up"),
    path(_("suivi/<str:token>/retrait/"), views.withdraw, name="withdraw"),
    path(_("temoignage/<str:token>/"), views.testimonial, name="testimonial"),
    path(_("temoignage/<str:token>/retrait/"), views.testimonial_withdraw, name="testimonial_withdraw"),
    path(_("temoignages/<int:pk>/photo/"), views.testimonial_photo, name="testimonial_photo"),
]
