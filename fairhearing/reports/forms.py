from __future__ import annotations

from django import forms


class SummaryForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Summary for publication",
                           help_text="No names, places or exact dates: what was alleged in general terms, the clause, the outcome and why.")
