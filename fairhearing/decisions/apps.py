from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fairhearing.decisions"
    label = "decisions"

    def ready(self) -> None:
        from fairhearing.workflow.services import reserve_transitions

        reserve_transitions(
            ["send_for_review", "determine", "refer_to_hearing", "verify", "veto", "record_hearing_outcome", "issue_decision", "lodge_appeal", "decide_appeal"],
            use="the decision workspace",
        )
