from mobility.models.applications import (
    Application,
    ApplicationChoice,
    ApplicationDocument,
    ApplicationLanguage,
    StatusChange,
)
from mobility.models.calls import Call, CallDestination, CallDocument
from mobility.models.testimonials import Testimonial, TestimonialStatus

__all__ = [
    "Application",
    "ApplicationChoice",
    "ApplicationDocument",
    "ApplicationLanguage",
    "Call",
    "CallDestination",
    "CallDocument",
    "StatusChange",
    "Testimonial",
    "TestimonialStatus",
]
