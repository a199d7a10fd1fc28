from __future__ import annotations

from django import forms

from fairhearing.privacy.models import SubjectRequest


class SubjectRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=SubjectRequest.Kind.choices, label="Kind of request")
    subject_name = forms.CharField(max_length=200, required=False, label="Person's name")
    subject_email = forms.EmailField(required=False, label="Person's email address")
    membership_number = forms.CharField(max_length=40, required=False, label="Membership number, if a member")
    received_on = forms.DateField(required=False, label="Date received (YYYY-MM-DD)", help_text="Leave empty for today")
    details = forms.CharField(widget=forms.Textarea, required=False, label="What was asked")


class CompleteForm(forms.Form):
    outcome = forms.CharField(widget=forms.Textarea, label="What was done, or why it is refused")
    refused = forms.BooleanField(required=False, label="Refuse the request")


class HoldForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea, label="Why the case must be kept")
