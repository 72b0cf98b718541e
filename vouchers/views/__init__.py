"""Views of the vouchers app: the applicant's Antrag and dashboard, the office queue and
decision, and the case page. Views stay thin: reads through ``vouchers.selectors``, writes
through ``vouchers.services``."""
