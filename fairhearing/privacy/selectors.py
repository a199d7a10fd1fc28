"""Reads for privacy: finding everything about one person, and the request queue."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fairhearing.cases.models import Case, Complaint, Party
from fairhearing.privacy.models import SubjectRequest


def person_filter(*, name: str, email: str, membership_number: str, prefix: str = "") -> Q:
    """Parties matching a person: exact (case-insensitive) name, email or membership number."""
    query = Q(pk__in=[])
    if name.strip():
        query |= Q(**{f"{prefix}name__iexact": name.strip()})
    if email.strip():
        query |= Q(**{f"{prefix}email__iexact": email.strip()})
    if membership_number.strip():
        query |= Q(**{f"{prefix}member__membership_number": membership_number.strip()})
    return query


def parties_of_person(*, name: str, email: str = "", membership_number: str = "") -> QuerySet[Party]:
    return Party.objects.filter(person_filter(name=name, email=email, membership_number=membership_number)).select_related("case")


def cases_about_person(*, name: str, email: str = "", membership_number: str = "") -> QuerySet[Case]:
    """Every case where the person is a party (complainant or respondent)."""
    ids = parties_of_person(name=name, email=email, membership_number=membership_number).values("case_id")
    return Case.objects.filter(pk__in=ids).order_by("opened_at")


def spam_complaints_of_person(*, name: str, email: str = "") -> QuerySet[Complaint]:
    """Complaints the person sent that a caseworker confirmed as spam (they belong to no case), not
    yet anonymised: matched by exact (case-insensitive) complainant name or email."""
    query = Q(pk__in=[])
    if name.strip():
        query |= Q(complainant_name__iexact=name.strip())
    if email.strip():
        query |= Q(complainant_email__iexact=email.strip())
    return Complaint.objects.filter(query, case__isnull=True, spam_hold__status="confirmed",
                                    spam_anonymisation__isnull=True).order_by("received_at")


def request_queue(*, open_only: bool = True) -> QuerySet[SubjectRequest]:
    requests = SubjectRequest.objects.all()
    if open_only:
        requests = requests.filter(status=SubjectRequest.Status.OPEN)
    return requests.order_by("due_on", "id")
