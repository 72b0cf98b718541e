"""Applications (Antrag), vouchers and feedback."""

from .applications import Application
from .feedback import FeedbackRequest, FeedbackResponse
from .vouchers import Voucher

__all__ = ["Application", "FeedbackRequest", "FeedbackResponse", "Voucher"]
