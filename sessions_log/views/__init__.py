"""Pages of the session log. Thin: selectors find what the user may see (else 404), the
rules decide what they may do, services do the work; a refused step becomes a form error
(status 400) or a German message."""

from sessions_log.views.cases import CloseVoucherView, OfficeVoucherListView, RequestClosingView
from sessions_log.views.confirm import ConfirmHoursView, DisputeEntryView, ResolveDisputeView
from sessions_log.views.dashboard import DashboardView, next_step
from sessions_log.views.entries import (
    RemainingPreviewView,
    SessionCreateView,
    SessionDeleteView,
    SessionUpdateView,
    VoucherSessionsView,
)

__all__ = [
    "CloseVoucherView",
    "ConfirmHoursView",
    "DashboardView",
    "DisputeEntryView",
    "OfficeVoucherListView",
    "RemainingPreviewView",
    "RequestClosingView",
    "ResolveDisputeView",
    "SessionCreateView",
    "SessionDeleteView",
    "SessionUpdateView",
    "VoucherSessionsView",
    "next_step",
]
