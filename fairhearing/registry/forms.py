from __future__ import annotations

from django import forms


class PlatformCheckForm(forms.Form):
    names = forms.CharField(
        label="Speakers to check",
        help_text="One person per line: the name, then a comma and the membership number if you know it.",
        widget=forms.Textarea(attrs={"rows": 10, "aria-describedby": "id_names_helptext"}),
    )
