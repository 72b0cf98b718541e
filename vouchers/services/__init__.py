"""Services of the vouchers app (the service contract's ``vouchers.services``)."""

from vouchers.services.closing import activate_voucher, close_voucher, request_closing

__all__ = [
    "activate_voucher",
    "close_voucher",
    "request_closing",
]
