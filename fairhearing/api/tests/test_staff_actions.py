"""The staff endpoints beyond transitions, each taken through the API on a real case: casework,
the whole decision workspace, intake, suggestions, privacy and oversight."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fairhearing.api.services import api_token_create
from fairhearing.audit.models import AuditEvent, BreakGlassGrant
from fairhearing.cases.models import Assignment, Case
from fairhearing.core import clock
from fairhearing.core.actors import system_actor, user_actor
from fairhearing.core.testing import open_case
from fairhearing.decisions import services as decisions
from fairhearing.decisions.models import Appeal, Decision, Hearing
from fairhearing.decisions.tests.helpers import findings, pool, seated, to_decision
from fairhearing.intake.tests.helpers import PDF, submit
from fairhearing.privacy.models import LegalHold, SubjectRequest
from fairhearing.workflow.services import case_transition

pytestmark = pytest.mark.django_db
REASONS = "The messages were repeated and intimidating, contrary to BUL-1."


class Api:
    """A client acting with a token of one user and some scopes."""

    def __init__(self, user, *scopes: str) -> None:  # type: ignore[no-untyped-def]
        _, token = api_token_create(actor=system_actor("test"), user=user, name="test", scopes=list(scopes))
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str, **params):  # type: ignore[no-untyped-def]
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: dict | None = None):  # type: ignore[no-untyped-def,type-arg]
        return self.client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


def last_action(case: Case) -> str:
    return AuditEvent.objects.filter(subject=f"case:{case.public_id}").exclude(action__endswith=".viewed").order_by("-seq").first().action


# -- casework ------------------------------------------------------------------------------------------


def test_a_caseworker_records_a_complaint_and_sees_its_case_with_allegations_and_people(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    api = Api(personas.caseworker, "cases:read", "cases:write")
    made = api.post("/cases", {"channel": "phone", "category": "bullying", "respondent_name": "Dana Doe",
                               "account": "Dana shouted at the volunteer in front of everyone.", "complainant_name": "Lee Caller"})
    assert made.status_code == 201, made.content
    web_only = api.post("/cases", {"channel": "web", "category": "bullying", "respondent_name": "X", "account": "Y", "complainant_name": "Z"})
    assert web_only.status_code == 422 and web_only.json()["errors"][0]["field"] == "channel"
    detail = api.get(f"/cases/{made.json()['case']}").json()
    assert detail["complaints"][0]["reference"] == made.json()["complaint_reference"]
    assert {p["kind"] for p in detail["parties"]} == {"complainant", "respondent"}
    assert detail["can_manage"] is True and "acknowledge" in [t["key"] for t in detail["transitions"]]


def test_pause_resume_fast_track_note_and_hand_over(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas, category="bullying")
    case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
    api = Api(personas.caseworker, "cases:read", "cases:write")
    paused = api.post(f"/cases/{case.public_id}/pause", {"kind": "awaiting_complainant", "reason": "Waiting for the screenshots."})
    assert paused.status_code == 200 and paused.json()["paused"] and paused.json()["pause"]["kind"] == "awaiting_complainant"
    wrong = api.post(f"/cases/{case.public_id}/pause", {"kind": "awaiting_respondent", "reason": "Waiting for the screenshots."})
    assert wrong.status_code == 400 and "cannot pause a case at 'Triage'" in wrong.json()["detail"]
    assert api.post(f"/cases/{case.public_id}/resume", {"reason": "They arrived."}).json()["paused"] is False
    short = api.post(f"/cases/{case.public_id}/fast-track", {"reasons": "clear"})
    assert short.status_code == 400 and short.json()["errors"][0]["field"] == "reasons"
    assert api.post(f"/cases/{case.public_id}/fast-track", {"reasons": "A clear admission in writing."}).json()["fast_tracked"]
    note = api.post(f"/cases/{case.public_id}/notes", {"text": "Called the complainant back."})
    assert note.status_code == 201 and note.json()["author"] == "Casey Worker"
    detail = api.get(f"/cases/{case.public_id}").json()
    assert detail["notes"][0]["text"] == "Called the complainant back."
    other = next(c for c in detail["caseworkers"] if c["name"] == "Carmen Other")
    handed = api.post(f"/cases/{case.public_id}/assignment", {"user": other["public_id"]})
    assert handed.status_code == 200 and handed.json()["name"] == "Carmen Other"
    assert Assignment.objects.get(case=case, role="caseworker", active=True).user == personas.caseworker2
    assert api.get(f"/cases/{case.public_id}").status_code == 404


def test_evidence_files_download_for_staff_who_see_the_case_and_each_download_is_audited(personas) -> None:  # type: ignore[no-untyped-def]
    result = submit(files=[SimpleUploadedFile("proof.pdf", PDF)])
    case = result.case
    api = Api(personas.caseworker, "cases:read", "cases:write")
    detail = api.get(f"/intake/complaints/{result.complaint.public_id}")
    assert detail.status_code == 200 and detail.json()["evidence"][0]["name"] == "proof.pdf"
    file_id = detail.json()["evidence_files"][0]
    fetched = api.get(f"/evidence/{file_id}")
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="evidence.downloaded", subject=f"case:{case.public_id}").count() == 1
    assert Api(personas.panel, "cases:read").get(f"/evidence/{file_id}").status_code == 404


def test_an_evidence_file_gone_from_storage_is_a_410_problem_not_a_server_error(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.intake.files import evidence_storage
    from fairhearing.intake.models import Evidence

    result = submit(files=[SimpleUploadedFile("proof.pdf", PDF)])
    item = Evidence.objects.get(complaint=result.complaint, kind="file")
    evidence_storage().delete(item.stored_name)
    fetched = Api(personas.caseworker, "cases:read").get(f"/evidence/{item.public_id}")
    assert fetched.status_code == 410 and fetched["Content-Type"] == "application/problem+json"
    assert "no longer in storage" in fetched.json()["detail"]
    assert not AuditEvent.objects.filter(action="evidence.downloaded").exists()


def test_linking_and_unlinking_a_complaint(personas) -> None:  # type: ignore[no-untyped-def]
    first = submit(respondent_name="Jo Bloggs")
    second = submit(respondent_name="Jo Bloggs", ip="192.0.2.9")
    assert second.case == first.case and second.linked
    api = Api(personas.caseworker, "cases:read", "cases:write")
    alone = api.post(f"/intake/complaints/{second.complaint.public_id}/unlink", {"reason": "A different Jo Bloggs, another branch."})
    assert alone.status_code == 200 and alone.json()["case"] != str(first.case.public_id)
    back = api.post(f"/intake/complaints/{second.complaint.public_id}/link",
                    {"case_reference": first.case.reference, "reason": "It is the same person after all."})
    assert back.status_code == 200 and back.json()["case"] == str(first.case.public_id)
    nowhere = api.post(f"/intake/complaints/{second.complaint.public_id}/link", {"case_reference": "NO-SUCH", "reason": "Some reason here."})
    assert nowhere.status_code == 400 and nowhere.json()["errors"][0]["field"] == "case_reference"


def test_the_spam_queue_is_for_caseworkers(personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.intake.services import complaint_submit
    from fairhearing.intake.tests.helpers import data

    held = complaint_submit(data=data(), ip="192.0.2.7", fill_seconds=0.1)
    queue = Api(personas.caseworker, "cases:read", "cases:write").get("/intake/spam")
    assert [h["complaint"] for h in queue.json()] == [str(held.complaint.public_id)]
    assert Api(personas.panel, "cases:read").get("/intake/spam").status_code == 403
    reject = Api(personas.caseworker, "cases:write").post(f"/intake/spam/{held.complaint.public_id}", {"decision": "reject"})
    assert reject.status_code == 400 and reject.json()["errors"][0]["field"] == "note"


def test_suggestions_are_listed_and_decided_by_the_assigned_caseworker(personas, default_code, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.suggestions.tasks import screen_new
    from fairhearing.suggestions.tests.helpers import case_with_texts

    case = case_with_texts(personas)
    with django_capture_on_commit_callbacks(execute=True):
        screen_new()
    runs = Api(personas.caseworker, "cases:read").get(f"/cases/{case.public_id}/suggestions").json()
    suggestion = next(s for r in runs for s in r["suggestions"] if s["clause"] == "AS-2")
    assert suggestion["title"] == "Conspiracy and power myths"
    done = Api(personas.caseworker, "cases:write").post(f"/suggestions/{suggestion['public_id']}/decision", {"decision": "accept", "note": "Matches."})
    assert done.status_code == 200 and done.json()["status"] == "accepted" and last_action(case) == "suggestion.accepted"
    assert Api(personas.panel, "cases:write").post(f"/suggestions/{suggestion['public_id']}/decision", {"decision": "reject"}).status_code == 404


# -- the decision workspace -------------------------------------------------------------------------------


def test_a_case_goes_from_panel_to_closed_appeal_through_the_api(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    pool(personas, extra=3)
    case = to_decision(personas)
    caseworker = Api(personas.caseworker, "cases:read", "decisions:write")
    drawn = caseworker.post(f"/cases/{case.public_id}/panel")
    assert drawn.status_code == 200 and drawn.json()["done"] == "The panel has been drawn."
    members = [m["public_id"] for m in drawn.json()["workspace"]["panels"][0]["members"]]
    assert len(members) == 3
    member = Api(seated(case)[0], "cases:read", "decisions:write")
    allegations = member.get(f"/cases/{case.public_id}").json()["allegations"]
    body = {"outcome": "suspension", "term_months": 3, "reasons": REASONS, "findings": [
        {"allegation": a["public_id"], "clause": "BUL-1", "upheld": True, "text": "The account is supported by the screenshots."} for a in allegations]}
    unknown = member.post(f"/cases/{case.public_id}/decision", {**body, "findings": [{**body["findings"][0], "clause": "NOPE-9"}]})
    assert unknown.status_code == 400 and "NOPE-9" in unknown.json()["detail"]
    decided = member.post(f"/cases/{case.public_id}/decision", body)
    assert decided.status_code == 200, decided.content
    assert decided.json()["workspace"]["decision"]["findings"][0]["clause"] == "BUL-1"
    issued = caseworker.post(f"/cases/{case.public_id}/decision/issue")
    assert issued.status_code == 200 and issued.json()["workspace"]["case"]["stage"] == "appeal_window"
    pdf = caseworker.get(f"/cases/{case.public_id}/written-decision")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    lodged = caseworker.post(f"/cases/{case.public_id}/appeal", {"appellant": "respondent", "grounds": "The panel ignored my apology."})
    assert lodged.status_code == 200 and lodged.json()["workspace"]["appeals"][0]["appellant"] == "respondent"
    caseworker.post(f"/cases/{case.public_id}/panel")
    case.refresh_from_db()
    appeal_member = seated(case, "appeal")[0]
    assert str(appeal_member.public_id) not in members
    decided_appeal = Api(appeal_member, "decisions:write").post(
        f"/cases/{case.public_id}/appeal/decision", {"outcome": "dismissed", "reasons": "The apology was considered; the decision stands."})
    assert decided_appeal.status_code == 200, decided_appeal.content
    assert decided_appeal.json()["done"] == "The appeal is decided and the case closed."
    assert decided_appeal.json()["workspace"]["appeals"][0]["outcome"] == "dismissed"
    assert Appeal.objects.get(case=case).outcome == "dismissed" and Case.objects.get(pk=case.pk).closed


def test_a_hearing_is_scheduled_postponed_once_and_its_outcome_recorded(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.core.testing import aware

    with clock.frozen(aware(2026, 3, 2)):
        pool(personas)
        case = to_decision(personas, category="sexual_harassment", clause_id="HAR-1")
        decisions.panel_draw(actor=personas.actor("caseworker"), case=case)
        member = seated(case)[0]
        decisions.decision_record(actor=user_actor(member), case=case, outcome="referral_for_expulsion", findings=findings(case, "HAR-1"),
                                  reasons="Repeated harassment of several members over a year, contrary to HAR-1.")
        caseworker = Api(personas.caseworker, "decisions:write")
        no_place = caseworker.post(f"/cases/{case.public_id}/hearing", {"starts_at": "2026-03-20T10:00:00+00:00"})
        assert no_place.status_code == 400 and no_place.json()["errors"][0]["field"] == "place"
        scheduled = caseworker.post(f"/cases/{case.public_id}/hearing", {"starts_at": "2026-03-20T10:00:00+00:00", "video_link": "meet.example.org/h1"})
        assert scheduled.status_code == 200 and scheduled.json()["workspace"]["hearing"]["video_link"] == "https://meet.example.org/h1"
        moved = caseworker.post(f"/cases/{case.public_id}/hearing/postponement",
                                {"starts_at": "2026-03-24T10:00:00+00:00", "reason": "The respondent is in hospital that week."})
        assert moved.status_code == 200
        again = caseworker.post(f"/cases/{case.public_id}/hearing/postponement",
                                {"starts_at": "2026-03-25T10:00:00+00:00", "reason": "Another week, please, sorry."})
        assert again.status_code == 400 and "already been postponed" in again.json()["detail"]
    with clock.frozen(aware(2026, 3, 25)):
        outcome = Api(member, "decisions:write").post(f"/cases/{case.public_id}/hearing/outcome",
                                                      {"outcome": "expulsion", "reasons": "The hearing confirmed the findings in full."})
    assert outcome.status_code == 200, outcome.content
    assert Hearing.objects.get(case=case).outcome == "expulsion"
    assert Decision.objects.filter(case=case, body="hearing", outcome="expulsion").exists()


def test_a_reviewer_vetoes_and_a_member_recuses_with_a_replacement(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    pool(personas)
    case = to_decision(personas, category="antisemitism", clause_id="AS-2")
    decisions.panel_draw(actor=personas.actor("caseworker"), case=case)
    first = seated(case)
    recused = Api(first[0], "decisions:write").post(f"/cases/{case.public_id}/panel/recusal", {"reason": "I know the respondent from work."})
    assert recused.status_code == 200 and recused.json()["done"] == "You have stepped down; a replacement was drawn."
    assert recused.json()["workspace"] is None
    member = seated(case)[0]
    decisions.decision_record(actor=user_actor(member), case=case, outcome="formal_warning", findings=findings(case, "AS-2"),
                              reasons="The post repeats a conspiracy myth about Jewish power, contrary to AS-2.")
    vetoed = Api(personas.reviewer, "decisions:write").post(f"/cases/{case.public_id}/review",
                                                            {"verdict": "vetoed", "reasons": "The panel ignored the respondent's reply."})
    assert vetoed.status_code == 200 and Case.objects.get(pk=case.pk).stage == "decision"
    assert AuditEvent.objects.filter(action="review.vetoed", subject=f"case:{case.public_id}").exists()


def test_a_pool_member_reads_and_adds_to_their_register_of_interests(personas, default_code) -> None:  # type: ignore[no-untyped-def]
    pool(personas)
    api = Api(personas.panel, "decisions:write")
    assert api.post("/interests", {"kind": "branch", "value": "Northtown"}).status_code == 201
    assert api.post("/interests", {"kind": "case", "value": "x"}).status_code == 422
    assert [i["value"] for i in api.get("/interests").json()] == ["Northtown"]
    assert Api(personas.caseworker, "decisions:write").get("/interests").status_code == 403


# -- privacy and oversight ---------------------------------------------------------------------------------


def test_an_access_request_is_recorded_exported_and_completed(personas) -> None:  # type: ignore[no-untyped-def]
    open_case(personas)
    overseer = Api(personas.overseer, "privacy:read", "privacy:write")
    made = overseer.post("/privacy/requests", {"kind": "access", "subject_name": "Chris Complainant", "subject_email": "chris@example.org"})
    assert made.status_code == 201 and made.json()["days_left"] >= 28
    assert [r["public_id"] for r in overseer.get("/privacy/requests").json()] == [made.json()["public_id"]]
    export = overseer.post(f"/privacy/requests/{made.json()['public_id']}/export")
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert names and AuditEvent.objects.filter(action="subject_access.exported").exists()
    done = overseer.post(f"/privacy/requests/{made.json()['public_id']}/completion", {"outcome": "Sent the export by recorded post."})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert SubjectRequest.objects.get().status == "done"
    assert Api(personas.overseer, "privacy:write").get("/privacy/requests").status_code == 403  # privacy:read missing


def test_a_legal_hold_is_placed_shown_on_the_case_and_lifted(personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas)
    api = Api(personas.caseworker, "cases:read", "privacy:write")
    placed = api.post(f"/cases/{case.public_id}/legal-hold", {"reason": "A claim is expected in court."})
    assert placed.status_code == 201
    assert api.get(f"/cases/{case.public_id}").json()["legal_hold"]["public_id"] == placed.json()["public_id"]
    again = api.post(f"/cases/{case.public_id}/legal-hold", {"reason": "A claim is expected in court."})
    assert again.status_code == 400 and "already under a legal hold" in again.json()["detail"]
    lifted = api.post(f"/legal-holds/{placed.json()['public_id']}/lift")
    assert lifted.status_code == 200 and lifted.json()["lifted_at"] and LegalHold.objects.get().lifted_at is not None


def test_break_glass_is_taken_and_ended_and_the_overseer_verifies_the_log(personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas)
    holder = Api(personas.caseworker2, "cases:read", "audit:write")
    reason = "The assigned caseworker is ill and the complainant called."
    grant = holder.post("/break-glass", {"reference": case.reference.lower(), "reason": reason, "hours": 2})
    assert grant.status_code == 201 and grant.json()["case"] == str(case.public_id)
    assert holder.get(f"/cases/{case.public_id}").status_code == 200
    assert holder.post("/break-glass", {"reference": "NO-SUCH-REF", "reason": reason}).status_code == 404
    assert holder.post("/break-glass", {"reference": case.reference, "reason": reason, "hours": 9}).status_code == 422
    ended = holder.post(f"/break-glass/{grant.json()['public_id']}/end")
    assert ended.status_code == 200 and BreakGlassGrant.objects.get().ended_at is not None
    assert holder.get(f"/cases/{case.public_id}").status_code == 404
    verified = Api(personas.overseer, "audit:write").post("/audit/verify")
    assert verified.status_code == 200 and verified.json()["ok"] is True and verified.json()["events_checked"] > 0


def test_the_published_statistics_need_no_token_and_carry_the_summaries(client, personas) -> None:  # type: ignore[no-untyped-def]
    from fairhearing.reports.services import summary_publish

    case = open_case(personas, category="bullying")
    case_transition(actor=personas.actor("caseworker"), case=case, transition_key="acknowledge")
    case_transition(actor=personas.actor("caseworker"), case=case, transition_key="close_at_triage",
                    reasons="The conduct is outside the code's scope.", outcome="out_of_scope")
    case.refresh_from_db()
    summary_publish(actor=personas.actor("caseworker"), case=case, text="A complaint about conduct outside the code was closed at triage.")
    today = clock.today()
    response = client.get("/api/v1/statistics", {"from": (today - timedelta(days=30)).isoformat(), "to": today.isoformat()})
    assert response.status_code == 200 and response.json()["summaries"][0]["outcome"] == "out_of_scope"
    bad = client.get("/api/v1/statistics", {"from": "2026-03-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and "before it starts" in bad.json()["detail"]


def test_a_time_without_an_offset_is_read_in_the_sites_time_zone_and_an_absurd_year_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from fairhearing.audit.models import ExternalContact

    case = open_case(personas)
    api = Api(personas.caseworker, "audit:write")
    body = {"contact_name": "A. Leader", "channel": "phone", "request": "Asked when the case will close."}
    made = api.post(f"/cases/{case.public_id}/contacts", {**body, "occurred_at": "2026-01-05T09:00:00"})
    assert made.status_code == 201, made.content
    assert timezone.localtime(ExternalContact.objects.get().occurred_at).hour == 9
    absurd = api.post(f"/cases/{case.public_id}/contacts", {**body, "occurred_at": "0001-01-01T00:00:00+14:00"})
    assert absurd.status_code == 422 and absurd.json()["errors"][0]["field"] == "occurred_at"


def test_an_offset_beyond_what_the_database_stores_is_kept_as_the_same_instant_in_utc(personas) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from fairhearing.audit.models import ExternalContact

    case = open_case(personas)
    api = Api(personas.caseworker, "audit:write")
    body = {"contact_name": "A. Leader", "channel": "phone", "request": "Asked when the case will close."}
    made = api.post(f"/cases/{case.public_id}/contacts", {**body, "occurred_at": "2000-03-01T03:00:08+18:18"})
    assert made.status_code == 201, made.content  # PostgreSQL refused the offset itself: a 500 before
    assert ExternalContact.objects.get().occurred_at == datetime(2000, 2, 29, 8, 42, 8, tzinfo=UTC)
