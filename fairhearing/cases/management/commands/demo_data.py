"""Load demonstration data: one organisation, 2,000 members, a user per role, 150 cases in every
stage (some overdue, some paused, some fast-tracked). Everything goes through the services, so
the audit chain of the demo database verifies. Running it again only prints the sign-ins."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand

from fairhearing.accounts.models import Role, User
from fairhearing.cases.models import Case, Member
from fairhearing.cases.services import case_assign, complaint_record, members_import
from fairhearing.conduct.models import Clause
from fairhearing.conduct.services import ensure_default_code
from fairhearing.core import clock
from fairhearing.core.actors import system_actor, user_actor
from fairhearing.core.errors import DomainError
from fairhearing.workflow import services as workflow
from fairhearing.workflow.config import get_calendar

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose
USERS = [
    ("caseworker", Role.CASEWORKER, "Casey Worker"),
    ("caseworker2", Role.CASEWORKER, "Carmen Diaz"),
    ("panel1", Role.PANEL, "Priya Shah"),
    ("panel2", Role.PANEL, "Paul Evans"),
    ("panel3", Role.PANEL, "Pat O'Neill"),
    ("panel4", Role.PANEL, "Pia Kowalska"),
    ("panel5", Role.PANEL, "Peter Okafor"),
    ("panel6", Role.PANEL, "Penny Levy"),
    ("reviewer", Role.REVIEWER, "René Martin"),
    ("reviewer2", Role.REVIEWER, "Rachel Adeyemi"),
    ("overseer", Role.OVERSEER, "Olu Bankole"),
    ("organiser", Role.ORGANISER, "Orla Byrne"),
    ("admin", Role.ADMIN, "Ada Admin"),
]
FIRST = ["Aisha", "Ben", "Chloe", "David", "Esther", "Farid", "Grace", "Hannah", "Imran", "Jack", "Kiran", "Leah", "Mohammed", "Naomi", "Oliver", "Precious", "Rebecca", "Samuel", "Tariq", "Uma", "Victor", "Wiktoria", "Yusuf", "Zoë", "Siobhán", "Dafydd", "Mairéad", "Jürgen", "Ngozi", "Rhys"]
LAST = ["Abrahams", "Begum", "Cohen", "Davies", "Evans", "Fitzgerald", "Goldberg", "Hughes", "Iqbal", "Jones", "Khan", "Levy", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Uddin", "Vaughan", "Williams", "Yilmaz", "Zielinski", "Ó Súilleabháin", "Mac an tSaoi", "Brontë", "Kovač", "Smith-Jones"]
BRANCHES = ["Northtown", "Southvale", "Eastport", "Westmoor", "Central", "Riverside", "Hillcrest", "Lakeside"]
ACCOUNTS = {
    "antisemitism": "At the branch meeting the member said that 'the Jews control the media' and shared a post repeating it.",
    "other_racism": "In the members' group chat the member posted a racist meme about Black members and refused to remove it.",
    "other_discrimination": "The member mocked a disabled member's use of a wheelchair ramp at the regional conference.",
    "sexual_harassment": "After the campaign event the member sent repeated unwanted messages of a sexual nature.",
    "bullying": "Over three months the member repeatedly shouted down and belittled a new volunteer in meetings.",
    "other": "The member published confidential personal details of another member online.",
}
PATHS: dict[str, list[str]] = {
    "received": [],
    "triage": ["acknowledge"],
    "investigation": ["acknowledge", "investigate"],
    "decision": ["acknowledge", "investigate", "refer_to_panel"],
    "review": ["acknowledge", "investigate", "refer_to_panel", "send_for_review"],
    "hearing": ["acknowledge", "investigate", "refer_to_panel", "refer_to_hearing"],
    "written_decision": ["acknowledge", "investigate", "refer_to_panel", "DECIDE"],
    "appeal_window": ["acknowledge", "investigate", "refer_to_panel", "DECIDE", "issue_decision"],
    "appeal": ["acknowledge", "investigate", "refer_to_panel", "DECIDE", "issue_decision", "lodge_appeal"],
    "closed": ["acknowledge", "close_at_triage"],
}
STAGE_MIX = {"received": 15, "triage": 30, "investigation": 35, "decision": 15, "review": 10, "hearing": 6, "written_decision": 8, "appeal_window": 8, "appeal": 5, "closed": 18}


class Command(BaseCommand):
    help = "Load demonstration data (idempotent: a second run only prints the sign-ins)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--cases", type=int, default=150)

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username="caseworker").exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load(random.Random(options["seed"]), options["cases"])
        self._print_sign_ins()

    def _print_sign_ins(self) -> None:
        self.stdout.write(f"\nSign in at http://127.0.0.1:8000/accounts/login/ with any of these (password for all: {DEMO_PASSWORD}):")
        for username, role, name in USERS:
            self.stdout.write(f"  {role.label:<22} {username:<12} ({name})")
        self.stdout.write("Complainants need no account: report at http://127.0.0.1:8000/complain/ and follow up at http://127.0.0.1:8000/status/ with the reference and receipt code.")
        self.stdout.write("Public statistics: http://127.0.0.1:8000/statistics/\n")

    def _load(self, rng: random.Random, count: int) -> None:
        setup = system_actor("demo-data")
        ensure_default_code(actor=setup)
        users = {}
        for username, role, name in USERS:
            users[username] = User.objects.create_user(username=username, password=DEMO_PASSWORD, role=role, display_name=name, email=f"{username}@example.org", is_staff=role == Role.ADMIN)
        rows = []
        for number in range(1, 2001):
            rows.append({"membership_number": f"M{100000 + number}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "email": f"member{number}@example.org",
                         "branch": rng.choice(BRANCHES), "region": "", "role": "", "joined_on": f"{rng.randint(1990, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "status": "active"})
        members_import(actor=setup, rows=rows, header=list(rows[0]))
        from fairhearing.decisions.services import pool_member_set

        for username, role, _ in USERS:
            if role in (Role.PANEL, Role.REVIEWER):
                pool_member_set(actor=user_actor(users["admin"]), user=users[username], training_valid_until=date(2030, 12, 31))
        self.stdout.write("Loaded 2,000 members.")
        members = list(Member.objects.all())
        clauses = list(Clause.objects.filter(identifier__in=["AS-2", "RAC-1", "DIS-1", "HAR-1", "BUL-1", "ONL-1"]))
        stages = [stage for stage, n in STAGE_MIX.items() for _ in range(n)]
        scale = count / len(stages)
        stages = [stages[int(i / scale)] for i in range(count)] if count != len(stages) else stages
        calendar = get_calendar()
        real_today = clock.today()
        for index, stage in enumerate(stages):
            self._make_case(rng, index, stage, users, members, clauses, calendar, real_today)
        self.stdout.write(f"Created {Case.objects.count()} cases across every stage.")

    def _make_case(self, rng: random.Random, index: int, stage: str, users: dict[str, User], members: list[Member], clauses: list[Clause], calendar: Any, real_today: Any) -> None:
        category = rng.choice(list(ACCOUNTS))
        path = list(PATHS[stage])
        if "DECIDE" in path or stage == "review":
            category = "bullying" if "DECIDE" in path else rng.choice(["antisemitism", "other_racism"])
        if stage == "hearing":
            category = "bullying"
        respondent = rng.choice(members)
        overdue = rng.random() < 0.25
        steps = len(path)
        start = calendar.add_working_days(real_today, 0) - timedelta(days=7 * steps + (40 if overdue else rng.randint(0, 3)))
        caseworker = users["caseworker"] if index % 3 else users["caseworker2"]
        moment = clock.now().replace(year=start.year, month=start.month, day=start.day, hour=10)
        with clock.frozen(moment):
            complaint = complaint_record(
                actor=user_actor(caseworker), channel=rng.choice(["email", "post", "phone"]), category=category,
                respondent_name=respondent.name, respondent_membership_number=respondent.membership_number,
                account=ACCOUNTS[category], complainant_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                complainant_email=f"complainant{index}@example.org", anonymous=rng.random() < 0.15,
                conduct_first_date=start - timedelta(days=rng.randint(1, 60)),
            )
            case = complaint.case
            assert case is not None
            if stage != "received" or index % 2:
                case_assign(actor=user_actor(caseworker), case=case, user=caseworker, role="caseworker")
        panel: list[User] = []
        for key in path:
            moment = moment + timedelta(days=7)
            with clock.frozen(moment):
                case.refresh_from_db()
                self._step(case, key, caseworker, panel, users, clauses, rng)
        with clock.frozen(moment + timedelta(hours=1)):
            case.refresh_from_db()
            if not case.closed and stage in ("triage", "investigation") and rng.random() < 0.2:
                workflow.case_pause(actor=user_actor(caseworker), case=case, pause_key="awaiting_complainant", reason="Waiting for the complainant to send the screenshots.")
            elif not case.closed and rng.random() < 0.15:
                workflow.case_fast_track(actor=user_actor(caseworker), case=case, reasons="The conduct is admitted and the evidence is clear.")

    def _step(self, case: Case, key: str, caseworker: User, panel: list[User], users: dict[str, User], clauses: list[Clause], rng: random.Random) -> None:
        from fairhearing.decisions import services as decisions

        cw = user_actor(caseworker)
        clause = rng.choice(clauses)
        try:
            if key in ("send_for_review", "DECIDE", "refer_to_hearing"):
                seated = [a.user for a in case.assignments.filter(role="panel", active=True).select_related("user")]
                outcome = "referral_for_expulsion" if key == "refer_to_hearing" else rng.choice(["reminder_of_conduct", "formal_warning", "no_case_to_answer"])
                upheld = outcome != "no_case_to_answer"
                findings = [decisions.FindingInput(allegation=str(a.public_id), clause_id=clause.pk, upheld=upheld, text="The panel finds the account credible and supported by the evidence.") for a in case.allegations.all()]
                decisions.decision_record(actor=user_actor(seated[0]), case=case, outcome=outcome, findings=findings,
                                          reasons="The panel considered the evidence and the reply and gives these reasons.",
                                          band_departure_reason="Demonstration data: the band is not applied.")
                return
            if key == "issue_decision":
                decisions.decision_issue(actor=cw, case=case)
                return
            if key == "lodge_appeal":
                decisions.appeal_lodge(actor=cw, case=case, grounds="The respondent says the panel did not consider their reply.", appellant="respondent")
                return
            outcome = {"close_at_triage": rng.choice(["out_of_scope", "no_further_action"])}.get(key, "")
            workflow.case_transition(actor=cw, case=case, transition_key=key, reasons="Recorded for the demonstration with reasons given.", clause_ids=[clause.pk], outcome=outcome)
            if key == "refer_to_panel":
                decisions.panel_draw(actor=cw, case=case)
        except DomainError as error:
            self.stderr.write(f"{case.reference}: {key}: {error.message}")
