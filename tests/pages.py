"""The pages a person meets, found the way a person finds them, for the page audit.

Public pages are crawled from each language's home page through the links a visitor can
follow; the application journey adds the pages only a submission leads to (the form's
error state, the confirmation, the follow-up link and the withdrawal page); the back
office adds the changelist and a change form of every model registered in the admin.
"""

from __future__ import annotations

import dataclasses
import datetime
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from activities.models import Activity, ActivityKind
from contact.services import contact_message_submit
from mobility.models import Application, Call, Testimonial, TestimonialStatus
from mobility.models.applications import Status
from mobility.testimonial_services import TestimonialContent, testimonial_save, testimonials_moderate
from mobility.views import CONFIRMATION_SESSION_KEY
from partnerships.models import Institution, Network
from tests.documents import blank_pdf
from tests.mobility.helpers import png_file, submit_application
from tests.mobility.testimonial_helpers import TEXT, complete
from uploads.checks import validate_image

# Never followed: downloads, the machine-facing files and the back office, audited on its own.
NOT_PAGES = ("/static/", "/media/", "/sitemap.xml", "/robots.txt", "/favicon.ico", "/healthz", "/i18n/")


@dataclass(frozen=True)
class AuditedPage:
    """One page to audit: a name for reports and screenshots, and how to reach it."""

    name: str
    path: str
    # "error_state": load `path`, then send its form empty, as someone who pressed "send" too soon.
    action: str = ""
    # Pages of the same content (one page under two query strings) may share a title.
    content_key: str = ""
    # The error pages are audited too, under the status they answer with.
    status: int = 200

    @property
    def key(self) -> str:
        return self.content_key or self.path + self.action


@dataclass
class PageSet:
    pages: list[AuditedPage] = field(default_factory=list)
    # Session cookie for pages that belong to one visitor (the confirmation page).
    session_key: str = ""
    # Links that did not answer 200 while crawling.
    broken_links: list[str] = field(default_factory=list)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def seed_content() -> None:
    """The content `make run` serves: the seed and the demonstration call; and a published
    testimonial, with its photo, so that the pages that show testimonials are audited with one."""
    call_command("load_seed", verbosity=0)
    call_command("create_demo_call", verbosity=0)
    published_testimonial()


def published_testimonial() -> Application:
    """A completed application to the demonstration call, whose testimonial staff published."""
    call = Call.objects.order_by("pk").first()
    assert call is not None, "create_demo_call creates the demonstration call"
    application = submit_application(call=call, given_names="Léa", email="lea@example.org")
    complete(application)
    testimonial = testimonial_save(
        application=application,
        testimonial=None,
        content=TestimonialContent(
            text=TEXT,
            display_name="Léa",
            photo=validate_image(png_file("photo.png", size=(80, 60))),
            photo_alt="Une salle de réunion, des chaises en cercle",
        ),
    )
    moderator, _created = get_user_model().objects.get_or_create(username="moderation", is_staff=True)
    testimonials_moderate(
        testimonials=Testimonial.objects.filter(pk=testimonial.pk),
        status=TestimonialStatus.PUBLISHED,
        actor=moderator,
    )
    return application


def _page_name(path: str) -> str:
    slug = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-").replace("&", "_")
    return slug or "root"


def crawl_public_pages(language: str, client: Client | None = None) -> PageSet:
    """Every page reachable by links from the language's home page, in that language."""
    client = client or Client()
    prefix = f"/{language}/"
    found = PageSet()
    queue, seen = [prefix], {prefix}
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200:
            found.broken_links.append(f"{path} answered {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue  # a download (the open data): its link works, and it is not a page to audit
        found.pages.append(AuditedPage(name=_page_name(path), path=path, content_key=path.split("?")[0]))
        parser = _LinkParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = urlsplit(urljoin(path, href))
            if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if not link.startswith(prefix) or link.startswith(NOT_PAGES) or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return found


def journey_pages(language: str) -> PageSet:
    """The pages of an application: the form empty and refused, the confirmation, the follow-up
    and the withdrawal; the testimonial form, refused, and its withdrawal; and the contact form refused, the other form a visitor fills in."""
    call = Call.objects.order_by("pk").first()
    assert call is not None, "seed_content() creates the demonstration call"
    application: Application = submit_application(call=call)
    session = SessionStore()
    session[CONFIRMATION_SESSION_KEY] = application.pk
    session.create()
    token = application.follow_up_token()
    told = Application.objects.filter(status=Status.COMPLETED).order_by("pk").first()
    assert told is not None, "seed_content() publishes a testimonial"
    with override(language):
        form_path = reverse("mobility:apply", kwargs={"slug": call.url_slug})
        pages = [
            AuditedPage(name="form", path=form_path),
            AuditedPage(name="form-errors", path=form_path, action="error_state"),
            AuditedPage(name="confirmation", path=reverse("mobility:confirmation")),
            AuditedPage(name="follow-up", path=reverse("mobility:follow_up", kwargs={"token": token})),
            AuditedPage(name="withdrawal", path=reverse("mobility:withdraw", kwargs={"token": token})),
            AuditedPage(name="testimonial", path=told.get_testimonial_url()),
            AuditedPage(name="testimonial-errors", path=told.get_testimonial_url(), action="error_state"),
            AuditedPage(
                name="testimonial-withdrawal",
                path=reverse("mobility:testimonial_withdraw", kwargs={"token": told.testimonial_token()}),
            ),
            AuditedPage(name="contact-errors", path=reverse("contact"), action="error_state"),
            # What an old link and a malformed address meet.
            AuditedPage(name="not-found", path=f"{reverse('home')}introuvable/", status=404),
            AuditedPage(name="bad-request", path=f"{reverse('partnerships:index')}?q=%00", status=400),
        ]
    return PageSet(pages=[_named(page, language) for page in pages], session_key=session.session_key or "")


def activity_content() -> list[Activity]:
    """Activities of the seeded France–Québec network, as staff would write them (the fixtures hold
    none): a two-day joint training with partners and a PDF, an online study day, a publication."""
    network = Network.objects.get(slug="france-quebec")
    today = datetime.date.today()
    training = Activity.objects.create(
        network=network,
        kind=ActivityKind.JOINT_TRAINING,
        title="Session de formation conjointe à Québec",
        title_en="Joint training session in Quebec City",
        slug="session-conjointe-quebec",
        slug_en="joint-session-quebec",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
        place="Université Laval, Québec",
        text="Deux jours de formation entre étudiants français et québécois.\n\nProgramme joint.",
        text_en="Two days of training for French and Quebec students.\n\nProgramme attached.",
        is_published=True,
    )
    training.institutions.set(Institution.objects.filter(memberships__network=network).order_by("pk")[:2])
    training.document.save("programme.pdf", ContentFile(blank_pdf()))
    study_day = Activity.objects.create(
        network=network,
        kind=ActivityKind.STUDY_DAY,
        title="Journée d’étude en ligne sur l’intervention sociale",
        slug="journee-etude-en-ligne",
        start_date=today + datetime.timedelta(days=10),
        is_online=True,
        online_url="https://visio.example.org/salle",
        text="Une journée d’étude ouverte à tous, en visioconférence.",
        is_published=True,
    )
    publication = Activity.objects.create(
        network=network,
        kind=ActivityKind.RESEARCH_PUBLICATION,
        title="Rapport de recherche comparée France–Québec",
        slug="rapport-recherche-comparee",
        start_date=today - datetime.timedelta(days=40),
        text="Une recherche comparée des pratiques d’intervention sociale.",
        is_published=True,
    )
    return [training, study_day, publication]


def activity_pages(language: str) -> PageSet:
    """A network's activity list (plain, filtered, with a refused filter) and each activity's page."""
    activities = activity_content()
    with override(language):
        list_path = reverse("activities:list", kwargs={"network_slug": activities[0].network.url_slug})
        pages = [
            AuditedPage(name="activities", path=list_path),
            AuditedPage(
                name="activities-filtered", path=f"{list_path}?kind=study_day&year=", content_key=list_path
            ),
            AuditedPage(
                name="activities-refused-filter", path=f"{list_path}?kind=concert", content_key=list_path
            ),
            *(AuditedPage(name=f"activity-{a.slug}", path=a.get_absolute_url()) for a in activities),
        ]
    return PageSet(pages=[_named(page, language) for page in pages])


def back_office_content() -> None:
    """An application and a contact message, so that their change forms are audited too."""
    journey_pages("fr")
    contact_message_submit(
        name="Camille Martin",
        email="camille.martin@example.org",
        subject="Stage au Québec",
        body="Bonjour, je voudrais savoir quand ouvre le prochain appel pour le Québec.",
        language="fr",
    )


def admin_pages(client: Client) -> PageSet:
    """The admin's index, and the changelist and a change form of every registered model.

    `client` is a logged-in superuser's: a model with no row yet is audited through its add
    form, and one that nobody may add (the audit log, the login records) through its list only.
    """
    pages = [AuditedPage(name="admin-index", path=reverse("admin:index"))]
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        name = f"admin-{model._meta.app_label}-{model._meta.model_name}"
        pages.append(AuditedPage(name=f"{name}-list", path=reverse(f"{url_name}_changelist")))
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            pages.append(
                AuditedPage(name=f"{name}-form", path=reverse(f"{url_name}_change", args=[instance.pk]))
            )
            continue
        add_path = reverse(f"{url_name}_add")
        if client.get(add_path).status_code == 200:
            pages.append(AuditedPage(name=f"{name}-form", path=add_path))
    return PageSet(pages=pages)


def audit_superuser():
    """A superuser who sees every admin page (tests log them in with force_login)."""
    return get_user_model().objects.create_superuser(
        username="audit", email="audit@example.org", password=secrets.token_urlsafe(16)
    )


def _named(page: AuditedPage, language: str) -> AuditedPage:
    return dataclasses.replace(page, name=f"{language}_{page.name}")
