"""Public forms. Every error message says what is wrong and how to put it right; the view re-shows
everything typed, and the error summary links to each field in error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing

from fairhearing.cases.models import Category
from fairhearing.intake.files import ACCEPT_ATTR, MAX_FILES

STARTED_SALT = "fairhearing.intake.form-started"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to MAX_FILES files; type and size are checked by the service, by content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > MAX_FILES:
            raise forms.ValidationError(f"Attach at most {MAX_FILES} files; you chose {len(items)}. Leave some out or combine them.")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def form_started_token() -> str:
    return signing.TimestampSigner(salt=STARTED_SALT).sign("intake")


def seconds_since(token: str) -> float | None:
    """How long the form was open, from its signed start time; None when the token is missing or forged."""
    try:
        signer = signing.TimestampSigner(salt=STARTED_SALT)
        signer.unsign(token, max_age=24 * 3600)
        stamp = token.rsplit(":", 2)[1]
        from fairhearing.core import clock

        return clock.now().timestamp() - signing.b62_decode(stamp)
    except (signing.BadSignature, ValueError):
        return None


class ComplaintForm(forms.Form):
    anonymous = forms.BooleanField(
        required=False, label="I want to complain anonymously",
        help_text="Your name is not recorded. If you give an email address, it is used only to keep you informed.",
    )
    complainant_name = forms.CharField(required=False, max_length=200, label="Your name")
    complainant_email = forms.EmailField(
        required=False, label="Your email address (optional)",
        help_text="To receive an acknowledgement and updates.",
        error_messages={"invalid": "Enter an email address like name@example.org, or leave it empty."},
    )
    respondent_name = forms.CharField(
        max_length=200, label="Name of the person you are complaining about",
        error_messages={"required": "Enter the name of the person you are complaining about."},
    )
    respondent_membership_number = forms.CharField(required=False, max_length=40, label="Their membership number, if you know it")
    respondent_branch_or_role = forms.CharField(required=False, max_length=200, label="Their branch or role, if you know it")
    account = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, label="What happened",
        help_text="Say what was said or done, in your own words.",
        error_messages={"required": "Describe what happened.",
                        "max_length": "Keep the account under 20,000 characters; attach a document for more."},
    )
    conduct_dates = forms.CharField(required=False, max_length=200, label="When it happened", help_text="A date or dates, for example 3 March 2026.")
    conduct_first_date = forms.DateField(
        required=False, label="Date of the first incident (optional)", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as day, month and year, for example 2026-03-03."},
    )
    where = forms.CharField(required=False, max_length=300, label="Where it happened", help_text="A meeting, an event, or online.")
    category = forms.ChoiceField(
        choices=Category.choices, widget=forms.RadioSelect, label="What kind of conduct is it?",
        error_messages={"required": "Choose the kind of conduct the complaint is about.",
                        "invalid_choice": "Choose one of the kinds of conduct listed; if none fits, choose Other."},
    )
    links = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Links (one per line)",
                            help_text="For example links to online posts.")
    pasted_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=50000,
                                  label="Paste any text evidence (optional)")
    files = MultipleFileField(label=f"Attach files (optional, up to {MAX_FILES})",  # type: ignore[assignment]
                              help_text="PDF, images, office documents or plain text, up to 10 MB each.")
    consent = forms.BooleanField(
        label="I have read the privacy notice and agree that my complaint is handled as it describes.",
        error_messages={"required": "Confirm that you have read the privacy notice."},
    )
    website = forms.CharField(required=False, label="Leave this field empty")  # honeypot
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, oversize: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversize = oversize or []

    def clean_links(self) -> str:
        from django.core.validators import URLValidator

        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for line in lines:
            try:
                URLValidator(schemes=["http", "https"])(line)
            except forms.ValidationError:
                raise forms.ValidationError(f"{line[:80]} is not a web link. Give full links starting https://, one per line.") from None
        return "\n".join(lines)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("anonymous") and not (data.get("complainant_name") or "").strip():
            self.add_error("complainant_name", "Enter your name, or tick 'I want to complain anonymously'.")
        for name in self.oversize:
            self.add_error("files", f"{name} is larger than 10 MB. Make it smaller or split it, then attach it again.")
        return data


class LookupForm(forms.Form):
    reference = forms.CharField(max_length=40, label="Complaint reference", help_text="For example FH-K7QX-M3TA.",
                                error_messages={"required": "Enter your complaint reference."})
    code = forms.CharField(max_length=60, label="Receipt code", help_text="The code shown when you sent the complaint.",
                           widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
                           error_messages={"required": "Enter your receipt code."})


class MessageForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=10000, label="Your message",
                           error_messages={"required": "Write your message before sending it."})


class OversizeFilesForm(forms.Form):
    """A form with a ``files`` field whose too-large files the upload handler already dropped:
    it names each one, so nothing is refused silently."""

    def __init__(self, *args: Any, oversize: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversize = oversize or []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.oversize:
            self.add_error("files", f"{name} is larger than 10 MB. Make it smaller or split it, then attach it again.")
        return data


class EvidenceForm(OversizeFilesForm):
    files = MultipleFileField(label=f"Attach files (up to {MAX_FILES})", help_text="PDF, images, office documents or plain text, up to 10 MB each.")  # type: ignore[assignment]
    pasted_text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label="Paste text evidence")
    links = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Links (one per line)")


class ReplyForm(OversizeFilesForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=50000, label="Your reply",
                           error_messages={"required": "Write your reply before sending it."})
    files = MultipleFileField(label=f"Attach files (optional, up to {MAX_FILES})", help_text="PDF, images, office documents or plain text, up to 10 MB each.")  # type: ignore[assignment]


class MoveHearingForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                             label="Why the hearing should move, and when you could attend",
                             error_messages={"required": "Say why the hearing should move."})


class StaffReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Reply to the complainant",
                           error_messages={"required": "Write the reply before sending it."})


class UnlinkForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why this complaint needs its own case")


class LinkForm(forms.Form):
    case_reference = forms.CharField(max_length=20, label="Reference of the open case to join")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why it belongs with that case")
