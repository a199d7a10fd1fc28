"""Forms of the decision workspace. The decision form has one group of fields per allegation."""

from __future__ import annotations

from django import forms

from fairhearing.accounts.models import User
from fairhearing.cases.models import Allegation, Member
from fairhearing.conduct.models import Clause
from fairhearing.decisions.catalogue import APPEAL_OUTCOMES, HEARING_OUTCOMES, PANEL_OUTCOMES
from fairhearing.decisions.models import Interest, Review


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _choices(keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [("", "Choose…")] + [(k, _label(k)) for k in keys]


class SanctionFields(forms.Form):
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Written reasons (required)")
    term_months = forms.IntegerField(required=False, min_value=1, label="Term in months (suspension only)")
    band_departure_reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                            label="Why the sanction departs from the guidance (only if it does)")


class DecisionForm(SanctionFields):
    outcome = forms.ChoiceField(choices=_choices(PANEL_OUTCOMES), label="Outcome")
    field_order = ["outcome", "term_months"]

    def __init__(self, *args: object, allegations: list[Allegation], clauses: list[Clause], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.groups = []
        clause_choices = [("", "Choose a clause")] + [(str(c.pk), f"{c.identifier} {c.title} (v{c.version.label})") for c in clauses]
        for number, allegation in enumerate(allegations, start=1):
            key = str(allegation.public_id)
            self.fields[f"{key}-upheld"] = forms.TypedChoiceField(
                choices=[("yes", "Upheld"), ("no", "Not upheld")], coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                label=f"Allegation {number}: upheld?")
            self.fields[f"{key}-clause"] = forms.TypedChoiceField(choices=clause_choices, coerce=int, label="Clause applied")
            self.fields[f"{key}-text"] = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Findings")
            self.groups.append((allegation, [self[f"{key}-upheld"], self[f"{key}-clause"], self[f"{key}-text"]]))


class HearingOutcomeForm(SanctionFields):
    outcome = forms.ChoiceField(choices=_choices(HEARING_OUTCOMES), label="Outcome of the hearing")
    field_order = ["outcome", "term_months"]


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(choices=Review.Verdict.choices, widget=forms.RadioSelect, label="Your verdict")
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Reasons (required)")


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label="Date and time (YYYY-MM-DD HH:MM)")
    place = forms.CharField(required=False, max_length=300, label="Place")
    video_link = forms.URLField(required=False, assume_scheme="https", label="Video link")


class PostponeForm(forms.Form):
    starts_at = forms.DateTimeField(label="New date and time (YYYY-MM-DD HH:MM)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why the respondent asked to move it")


class RecuseForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why you are stepping down")


class AppealForm(forms.Form):
    appellant = forms.ChoiceField(choices=[("respondent", "The respondent"), ("complainant", "The complainant")], label="Who is appealing")
    grounds = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Grounds of appeal")


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=_choices(APPEAL_OUTCOMES), label="Outcome of the appeal")
    substituted_outcome = forms.ChoiceField(required=False, choices=_choices(("reminder_of_conduct", "formal_warning", "suspension")),
                                            label="Substituted sanction (only if substituting)")
    term_months = forms.IntegerField(required=False, min_value=1, label="Term in months (suspension only)")
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Reasons (required)")


class InterestForm(forms.Form):
    kind = forms.ChoiceField(choices=[c for c in Interest.Kind.choices if c[0] != "case"], label="What is the interest in?")
    value = forms.CharField(max_length=300, label="Who or what (a name, membership number, branch, region, group or a description)")


class PoolEntryForm(forms.Form):
    """Training date and own membership of someone in the pool (the administrator's pool page)."""

    training_valid_until = forms.DateField(
        required=False, label="Training valid until (YYYY-MM-DD)",
        help_text="Leave empty if they have not been trained yet: they stay in the pool but are never drawn until a date is set.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    membership_number = forms.CharField(
        required=False, max_length=40, label="Their own membership number, if they are a member",
        help_text="They are then never drawn for a case they are a party to.")

    def clean_membership_number(self) -> Member | None:
        number = self.cleaned_data["membership_number"].strip()
        if not number:
            return None
        member = Member.objects.filter(membership_number=number).first()
        if member is None:
            raise forms.ValidationError(f"No member has the membership number {number}. Check it, or leave it empty.")
        return member


class PoolAddForm(PoolEntryForm):
    user = forms.ModelChoiceField(queryset=User.objects.none(), to_field_name="public_id", label="Who to add",
                                  empty_label="Choose a panel member or reviewer")
    field_order = ["user", "training_valid_until", "membership_number"]

    def __init__(self, *args: object, candidates: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["user"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: f"{u} ({u.get_role_display().lower()}, {u.username})"  # type: ignore[attr-defined]
