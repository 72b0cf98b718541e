"""Applications (Antrag), vouchers, offers of freed places and feedback."""

from .applications import Application
from .feedback import FeedbackRequest, FeedbackResponse
from .offers import AllocationEvent, Offer
from .vouchers import Voucher

__all__ = [
    "AllocationEvent",
    "Application",
    "FeedbackRequest",
    "FeedbackResponse",
    "Offer",
    "Voucher",
]
