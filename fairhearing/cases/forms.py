from __future__ import annotations

from django import forms

from fairhearing.cases.models import Category, Channel


class TransitionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    clauses = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    outcome = forms.ChoiceField(required=False)


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label="What is the case waiting for?")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Details")


class ReasonsForm(forms.Form):
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Reasons")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")


class AssignForm(forms.Form):
    user = forms.TypedChoiceField(coerce=int, label="Caseworker")


class RecordComplaintForm(forms.Form):
    channel = forms.ChoiceField(choices=[c for c in Channel.choices if c[0] not in ("web", "api")], label="How did it arrive?")
    category = forms.ChoiceField(choices=Category.choices)
    anonymous = forms.BooleanField(required=False, label="The complainant wishes to stay anonymous")
    complainant_name = forms.CharField(required=False, max_length=200, label="Complainant's name")
    complainant_email = forms.EmailField(required=False, label="Complainant's email")
    respondent_name = forms.CharField(max_length=200, label="Who is the complaint about?")
    respondent_membership_number = forms.CharField(required=False, max_length=40, label="Their membership number, if known")
    respondent_branch_or_role = forms.CharField(required=False, max_length=200, label="Their branch or role")
    account = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="What happened")
    conduct_first_date = forms.DateField(required=False, label="When did it happen? (first date, YYYY-MM-DD)")
    where = forms.CharField(required=False, max_length=300, label="Where did it happen?")
