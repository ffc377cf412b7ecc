"""Property: whatever the protected names, notes, commenters' and staff names, a public export of the ledger
carries none of them, nor any plain digest of a protected name, and the ledger still verifies after a redaction.

Names are drawn from letters that are not hexadecimal digits and from a few accented ones, so that a name can
never occur by chance inside a hash, a pseudonym or the export's fixed vocabulary: a hit is a real leak.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records import line

PAST, FUTURE = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
ORDER_FROM = datetime(2026, 11, 1, tzinfo=UTC)
LETTERS = "gjkqvwxyzĝĵķŵ"

word = st.text(alphabet=LETTERS, min_size=4, max_size=9).map(str.capitalize)
name = st.tuples(word, word).map(" ".join)
filler = st.sampled_from(["", "see", "re:", "about", "call back", "per legal,", "— the"])


def _digests(value: str) -> set[str]:
    out = set()
    for form in {value, value.casefold(), value.upper(), "\n".join(sorted([value]))}:
        data = form.encode("utf-8")
        for algo in ("md5", "sha1", "sha256", "sha512", "blake2b", "sha3_256"):
            out.add(hashlib.new(algo, data).hexdigest())
    return out


_ids = itertools.count(1)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(protected=name, commenter=name, staff=word, before=filler, after=filler, redact=st.booleans())
def test_a_public_export_names_no_protected_person_commenter_or_staff(
    svc: Any, protected: str, commenter: str, staff: str, before: str, after: str, redact: bool
) -> None:
    n = next(_ids)
    legal, mod = f"{staff.lower()}l{n}", f"{staff.lower()}m{n}"
    svc.add_moderator(legal, "legal", "alice")
    svc.add_moderator(mod, "moderator", "alice")
    surname = protected.split()[-1]
    svc.add_order(f"DPP v {surname} (No {n})", "County Court", [protected], ORDER_FROM, None, actor=legal)
    cid = f"prop{n}"
    author = {"id": "u-" + cid, "handle": commenter.replace(" ", "").lower(), "name": commenter}
    svc.ingest_stream(io.StringIO(line(cid, f"everyone knows what {protected} did", author=author) + "\n"))
    svc.triage_pending()
    comment = int(svc.find_comment(cid))
    other = f"prop{n}b"
    svc.ingest_stream(io.StringIO(line(other, "when does the pool open", author=author) + "\n"))
    svc.triage_pending()
    second = int(svc.find_comment(other))
    svc.decide(second, "escalate", mod, route="legal", note=f"{before} {commenter} and {mod} {after}".strip())
    svc.decide(second, "hide", legal, clause="7", note=f"{before} {protected.casefold()} {after}".strip())
    assert svc.detail(comment).item.state == "escalated"  # the order matched: legal resolves it
    svc.decide(comment, "hide", legal, clause="7", note=f"{legal} says {surname} {after}")
    if redact:
        rows = [r for r in svc.ledger_export("internal", PAST, FUTURE, legal) if r["comment_id"] == second]
        target = next(r for r in rows if r["kind"] == "decided")
        svc.redact_ledger(target["seq"], "note", f"{before} reason {after}", legal)
    result = svc.ledger_verify()
    assert result.ok, result.problem
    public = json.dumps(list(svc.ledger_export("public", PAST, FUTURE, mod)), ensure_ascii=False)
    folded = public.casefold()
    for secret in (*protected.split(), *commenter.split(), author["handle"], legal, mod):
        assert secret.casefold() not in folded, secret
    for digest in _digests(protected):
        assert digest not in public
