from __future__ import annotations

from django import forms

from fairhearing.audit.models import ContactChannel
from fairhearing.audit.services import BREAK_GLASS_HOURS, BREAK_GLASS_MAX_HOURS, MIN_REASON_CHARS


class BreakGlassForm(forms.Form):
    reference = forms.CharField(max_length=20, label="Case reference", help_text="For example FH-2026-00123")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=MIN_REASON_CHARS,
        label="Why do you need this case now?",
        help_text="Every overseer reads this, and every page you open is logged.",
    )
    hours = forms.IntegerField(min_value=1, max_value=BREAK_GLASS_MAX_HOURS, initial=BREAK_GLASS_HOURS, label="For how many hours?")


class ContactForm(forms.Form):
    contact_name = forms.CharField(max_length=200, label="Who made the contact?")
    contact_position = forms.CharField(max_length=200, required=False, label="Their office or organisation, if known")
    occurred_at = forms.DateTimeField(
        label="When did it happen?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text="Date and time, for example 2026-03-02 14:30",
    )
    channel = forms.ChoiceField(choices=ContactChannel.choices, label="How was the contact made?")
    request = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What did they ask or say about the case?")
