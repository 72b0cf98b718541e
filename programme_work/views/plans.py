"""The process plan of a case: timeline for everyone who may see the case, the team's changes
(add, edit dates, reorder, mark done, drop with a reason) and the project groups."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.errors import RuleViolation
from portal.views.mixins import RoleRequiredMixin
from programme_work.forms import (
    GroupMemberForm,
    MilestoneAddForm,
    MilestoneDoneForm,
    MilestoneDropForm,
    MilestoneEditForm,
)
from programme_work.models import GroupMember
from programme_work.panel import plan_context
from programme_work.services import groups, plans
from programme_work.views.common import case_or_404, milestone_or_404, run_form

ROLES = ("applicant", "office", "admin", "facilitator")


class PlanView(RoleRequiredMixin, View):
    allowed_roles = ROLES
    template_name = "programme_work/plan.html"

    def get(self, request, pk):
        voucher = case_or_404(request.user, pk)
        return self.render(voucher)

    def render(self, voucher, add_form=None, group_form=None, status=200):
        context = plan_context(voucher, self.request.user)
        context.update(
            voucher=voucher,
            add_form=add_form or MilestoneAddForm(programme=voucher.programme),
            group_form=group_form or GroupMemberForm(),
            page_operator=voucher.programme.operator,
        )
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, pk):
        voucher = case_or_404(request.user, pk)
        if request.POST.get("action") == "group":
            form = GroupMemberForm(request.POST)
            if form.is_valid():
                try:
                    groups.add_member(voucher, by=request.user, **form.cleaned_data)
                except RuleViolation as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Das Mitglied ist eingetragen."))
                    return redirect("programme_work:plan", pk=voucher.pk)
            return self.render(voucher, group_form=form, status=400)
        form = MilestoneAddForm(request.POST, programme=voucher.programme)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plans.add_milestone(
                    voucher,
                    by=request.user,
                    title=data["title"],
                    description=data["description"],
                    planned_on=data["planned_on"],
                    source=data["source"],
                    reason=data["reason"],
                )
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Der Meilenstein ist ergänzt."))
                return redirect("programme_work:plan", pk=voucher.pk)
        return self.render(voucher, add_form=form, status=400)


class MilestoneActionView(RoleRequiredMixin, View):
    """One small page per change: edit (title, description, date), done, drop."""

    allowed_roles = ("office", "admin", "facilitator")
    template_name = "programme_work/milestone_form.html"
    kind = "edit"

    def forms(self, milestone, data=None):
        if self.kind == "done":
            return MilestoneDoneForm(data, initial={"done_on": timezone.localdate()})
        if self.kind == "drop":
            return MilestoneDropForm(data)
        return MilestoneEditForm(
            data,
            initial={
                "title": milestone.title,
                "description": milestone.description,
                "planned_on": milestone.planned_on,
            },
        )

    def context(self, milestone):
        titles = {
            "edit": _("Meilenstein bearbeiten"),
            "done": _("Meilenstein abhaken"),
            "drop": _("Meilenstein entfallen lassen"),
        }
        return {
            "milestone": milestone,
            "heading": titles[self.kind],
            "kind": self.kind,
            "voucher_id": milestone.plan.voucher_id,
        }

    def get(self, request, pk):
        milestone = milestone_or_404(request.user, pk)
        return render(
            request,
            self.template_name,
            {**self.context(milestone), "form": self.forms(milestone)},
        )

    def post(self, request, pk):
        milestone = milestone_or_404(request.user, pk)
        form = self.forms(milestone, request.POST)
        user = request.user

        def action(data):
            if self.kind == "done":
                plans.complete_milestone(
                    milestone, by=user, done_on=data["done_on"], note=data["note"]
                )
            elif self.kind == "drop":
                plans.drop_milestone(milestone, by=user, reason=data["reason"])
            else:
                plans.update_milestone(
                    milestone,
                    by=user,
                    title=data["title"],
                    description=data["description"],
                    planned_on=data["planned_on"],
                    reason=data["reason"],
                )

        done = {
            "done": _("Der Meilenstein ist abgehakt."),
            "drop": _("Der Meilenstein entfällt."),
            "edit": _("Der Meilenstein ist gespeichert."),
        }[self.kind]
        from django.urls import reverse

        success = reverse("programme_work:plan", args=[milestone.plan.voucher_id])
        return run_form(
            request, form, self.template_name, self.context(milestone), action, success, done
        )


class MilestoneMoveView(RoleRequiredMixin, View):
    allowed_roles = ("office", "admin", "facilitator")

    def post(self, request, pk):
        milestone = milestone_or_404(request.user, pk)
        try:
            plans.move_milestone(
                milestone, by=request.user, direction=request.POST.get("direction", "")
            )
        except RuleViolation as exc:
            messages.error(request, exc.message)
        return redirect("programme_work:plan", pk=milestone.plan.voucher_id)


class GroupMemberDeleteView(RoleRequiredMixin, View):
    allowed_roles = ROLES

    def post(self, request, pk):
        from programme_work.selectors import plan_cases_visible_to

        member = get_object_or_404(
            GroupMember.objects.select_related("voucher"),
            pk=pk,
            voucher__in=plan_cases_visible_to(request.user).values("pk"),
        )
        try:
            groups.remove_member(member, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Das Mitglied ist entfernt."))
        return redirect("programme_work:plan", pk=member.voucher_id)
