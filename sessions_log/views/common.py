"""Shared pieces of the session log pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from vouchers.models import Voucher
from vouchers.selectors import vouchers_visible_to

V = Voucher.Status
LOGGING_ROLES = ("facilitator", "office", "admin")


class BadRequestOnInvalidFormMixin:
    """Every refused form answers 400 and keeps what was typed."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class VoucherMixin:
    """Loads ``self.voucher`` from the vouchers the user may see (foreign ids → 404)."""

    voucher_kwarg = "voucher_pk"

    def dispatch(self, request, *args, **kwargs):
        self.voucher = get_object_or_404(
            vouchers_visible_to(request.user), pk=kwargs[self.voucher_kwarg]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["voucher"] = self.voucher
        return ctx
