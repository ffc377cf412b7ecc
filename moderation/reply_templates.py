"""Reading the reply templates in ``<policy>/replies/*.txt`` and checking them against the published policy.

Who calls it: ``modq policy check`` (every problem, each naming its file) and the service (one template at a time,
refusing a bad one). The format and the rules are in ``moderation.domain.replies``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from moderation.domain.replies import ReplyTemplate, TemplateError, check_template, parse_template

FOLDER = "replies"


@dataclass(frozen=True)
class TemplateProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def template_dir(policy: Any) -> Path:
    return Path(policy.base) / FOLDER


def policy_terms(policy: Any) -> tuple[dict[str, str], str | None]:
    """The published clauses (id -> title) and the clause suppression orders are enforced under."""
    clauses = {cid: clause.title for cid, clause in policy.clauses.items()}
    order_clause = next((r.clause for r in policy.rules if r.detector == "suppression_order"), None)
    return clauses, order_clause


def read_templates(policy: Any) -> tuple[dict[str, ReplyTemplate], list[TemplateProblem]]:
    """Every usable template by name, and every problem found (a template with a problem is not usable)."""
    folder = template_dir(policy)
    clauses, order_clause = policy_terms(policy)
    good: dict[str, ReplyTemplate] = {}
    problems: list[TemplateProblem] = []
    if not folder.is_dir():
        return good, problems
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        where = f"{FOLDER}/{path.name}"
        if path.suffix != ".txt":
            problems.append(TemplateProblem(where, "reply templates are .txt files; rename it or move it away"))
            continue
        try:
            template = parse_template(path.stem, path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            problems.append(TemplateProblem(where, "not UTF-8 text"))
            continue
        except TemplateError as exc:
            problems.append(TemplateProblem(where, str(exc)))
            continue
        found = check_template(template, clauses, order_clause)
        problems.extend(TemplateProblem(where, message) for message in found)
        if not found:
            good[template.name] = template
    return good, problems
