from __future__ import annotations

import re

from django import forms

from fairhearing.accounts.services import ResetCause

CODE_DIGITS = 6


class CodeForm(forms.Form):
    """The 6-digit code from an authenticator app. Spaces and dashes are ignored, as people copy
    codes shown as "123 456"."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6 digits it shows now, for example 123456.",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not code.isdigit() or len(code) != CODE_DIGITS:
            raise forms.ValidationError("The code is 6 digits, for example 123456. Enter only the digits your app shows.")
        return code


class ResetForm(forms.Form):
    cause = forms.ChoiceField(
        label="Why does this person need a new two-factor set-up?",
        choices=ResetCause.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the reset is needed."},
    )
    identity_checked = forms.BooleanField(
        label="I have checked that this request really comes from them, by a way other than email or this account (for example a call to a number we already hold, or in person).",
        error_messages={"required": "Confirm that you have checked who is asking. Anyone who signs in with their password next will set up the new device."},
    )
