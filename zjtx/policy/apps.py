from typing import Any

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "zjtx.policy"
    label = "policy"
    verbose_name = "政策引擎"

    def ready(self) -> None:
        from zjtx.core.audit import register_describer, shown_value
        from zjtx.core.navigation import register_todos
        from zjtx.policy.todos import todos

        register_todos(todos)
        from zjtx.policy.engine.schema import VALUE_LABELS, input_label

        def facts(key: str, value: Any) -> tuple[str, str | None]:
            """Recognition facts are keyed by the engine's input names; coded values read in Chinese."""
            coded = VALUE_LABELS.get(key, {}).get(value, value) if isinstance(value, str) else value
            return input_label(key), shown_value(coded)

        register_describer("enterprise_facts", facts)
