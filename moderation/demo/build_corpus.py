# ruff: noqa: E501
"""Build the demo corpus for the fictional Department of Community Wellbeing (DCW), Victoria.

Writes ``corpus.jsonl`` (interchange format, one comment per line) and ``labels.json`` (comment id -> category)
next to this file. Deterministic (seeded); rerun with ``python -m moderation.demo.build_corpus`` after editing
``texts.py``. Everything here is invented: no real person's data.

Notes for readers of the output:
- Lines are in ``created_at`` order; a reply always has a later timestamp than its parent, on the same post.
- Control and invisible characters (C0/C1, bidi overrides, zero-width) are written as ``\\uXXXX`` JSON escapes, so
  the file itself is safe to ``cat``; they come back as real characters when parsed.
- On X, ``post`` is the conversation root. Conversations started by another user carry ``post.author_id``.
"""

from __future__ import annotations

import json
import random
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

from moderation.demo import texts as T

SEED = 20261120
HERE = Path(__file__).resolve().parent
MEL = timezone(timedelta(hours=11))  # AEDT, Melbourne in November
WINDOW_END = datetime(2026, 11, 21, 13, 0, tzinfo=MEL)

FB_ACCOUNT = "1000000001"
IG_ACCOUNT = "17841400000000001"
X_ACCOUNT = "1500000000000000001"

CATEGORIES = (
    "ordinary",
    "lawful_criticism",
    "mild_swearing_criticism",
    "scunthorpe",
    "offensive_severe",
    "hate",
    "threat",
    "harassment",
    "personal_info",
    "defamation",
    "sub_judice",
    "suppression_order",
    "spam",
    "copy_paste_campaign",
    "impersonation",
    "copyright",
    "political",
    "off_topic",
    "hostile_terminal",
)


# --------------------------------------------------------------------------- checksummed identifiers
def medicare_check(first8: str) -> int:
    weights = (1, 3, 7, 9, 1, 3, 7, 9)
    return sum(int(d) * w for d, w in zip(first8, weights, strict=True)) % 10


def tfn_valid(digits: str) -> bool:
    weights = (1, 4, 3, 7, 5, 8, 6, 9, 10)
    return len(digits) == 9 and sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def make_medicare() -> str:
    first8 = "29538164"
    ten = first8 + str(medicare_check(first8)) + "1"  # 9th = check digit, 10th = issue number
    return f"{ten[:4]} {ten[4:9]} {ten[9]}"


def make_tfn() -> str:
    for n in range(48_612_370, 48_612_470):
        for last in range(10):
            digits = f"{n}{last}"
            if tfn_valid(digits):
                return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    raise AssertionError("no valid TFN found")


# --------------------------------------------------------------------------- official posts
POSTS = {
    "fb_hospital": dict(
        platform="facebook",
        topic="hospital",
        id="1000000001_2000000000001",
        at="2026-11-19T10:00:00",
        text="Bellmore Community Hospital is open! Minister Helen Carraway today opened the new "
        "40-bed hospital, with outpatient clinics, day surgery and a pharmacy. Secretary Priya "
        "Raman thanked the Bellmore community for its patience.",
    ),
    "fb_bushfire": dict(
        platform="facebook",
        topic="bushfire",
        id="1000000001_2000000000002",
        at="2026-11-19T15:30:00",
        text="Bushfire recovery grants of up to $5,000 are now open for households affected by the "
        "Bellmore fires. Apply online or visit the recovery centre at Bellmore Memorial Hall.",
    ),
    "fb_concession": dict(
        platform="facebook",
        topic="concession",
        id="1000000001_2000000000003",
        at="2026-11-20T11:00:00",
        text="From 1 January 2027 the income test for Victorian concession cards is changing. "
        "Read what it means for you and how to update your details.",
    ),
    "ig_flu": dict(
        platform="instagram",
        topic="flu",
        id="17900000000000101",
        shortcode="DCWflu2026a",
        at="2026-11-19T12:15:00",
        text="💉 Our new FREE flu vaccination clinic is open at 12 Station Street, Bellmore. "
        "Walk-ins welcome, 9am–3pm weekdays. #flu #vaccination #Bellmore",
    ),
    "ig_youth": dict(
        platform="instagram",
        topic="youth",
        id="17900000000000102",
        shortcode="DCWyouthMH1",
        at="2026-11-20T16:00:00",
        text="Have your say on youth mental health services in Victoria. Our public consultation is "
        "open until 15 December. Link in bio. #HaveYourSay",
    ),
    "x_kinsale": dict(
        platform="x",
        topic="kinsale",
        id="1859000000000000101",
        at="2026-11-19T08:45:00",
        text="Kinsale Road, Bellmore will be closed between Murray St and Ridge Rd from 25 Nov for "
        "upgrade works. Detour via Murray St. Details: vic.gov.au/kinsale-road",
    ),
    "x_bushfire": dict(
        platform="x",
        topic="bushfire",
        id="1859000000000000102",
        at="2026-11-20T09:05:00",
        text="Bushfire recovery grants for Bellmore households are open now. Up to $5,000 for "
        "clean-up, fencing and temporary accommodation. Apply: vic.gov.au/bellmore-recovery",
    ),
    # A conversation started by another user that mentions @DCWVic: replies here cannot be hidden by the department.
    "x_other": dict(
        platform="x",
        topic="kinsale",
        id="1859000000000000201",
        at="2026-11-19T19:40:00",
        other_author=("1620000000000000777", "BellmoreLocalNews"),
        text="Traffic chaos at the Kinsale Rd / Murray St roundabout tonight. @DCWVic when does the "
        "closure actually start and who approved the detour?",
    ),
}
TOPIC_POSTS: dict[str, list[tuple[str, float]]] = {
    "hospital": [("fb_hospital", 1.0)],
    "kinsale": [("x_kinsale", 0.65), ("x_other", 0.35)],
    "youth": [("ig_youth", 1.0)],
    "bushfire": [("fb_bushfire", 0.65), ("x_bushfire", 0.35)],
    "flu": [("ig_flu", 1.0)],
    "concession": [("fb_concession", 1.0)],
}
POST_WEIGHTS = {
    "fb_hospital": 3,
    "fb_bushfire": 3,
    "fb_concession": 3,
    "ig_flu": 2,
    "ig_youth": 2,
    "x_kinsale": 2,
    "x_bushfire": 2,
    "x_other": 1,
}


def post_record(key: str) -> dict:
    p = POSTS[key]
    if p["platform"] == "facebook":
        suffix = p["id"].split("_")[1]
        url = f"https://www.facebook.com/{FB_ACCOUNT}/posts/{suffix}"
    elif p["platform"] == "instagram":
        url = f"https://www.instagram.com/p/{p['shortcode']}/"
    else:
        handle = p["other_author"][1] if "other_author" in p else "DCWVic"
        url = f"https://x.com/{handle}/status/{p['id']}"
    rec = {"id": p["id"], "text": p["text"], "url": url}
    if "other_author" in p:
        rec["author_id"] = p["other_author"][0]
    return rec


# --------------------------------------------------------------------------- authors
# (name, handle). Weighted so a few regulars post several times (author history pane).
CITIZENS = [
    ("Margaret O'Neill", "marg_oneill_62"),
    ("Darren Kowalski", "dazza_k"),
    ("Jenny Brennan", "jennyb_bellmore"),
    ("Nguyễn Thị Lan", "lan.nguyen.vic"),
    ("Steve Papadopoulos", "stevepap"),
    ("Aroha Williams", "aroha_w"),
    ("Bruce McIntyre", "brucemac_farm"),
    ("Priya Nair", "priya_nair_88"),
    ("Kylie Hendricks", "kyliehen"),
    ("Tom O'Sullivan", "tommo_os"),
    ("李伟 (Wei Li)", "weili_mel"),
    ("Fatima 🌸", "fatima.h"),
    ("Greg Dunstan", "gdunstan"),
    ("Sarah-Jane Cooper", "sj_cooper"),
    ("Αλέξανδρος Παππάς", "alex_pappas_vic"),
    ("Mick Ryan", "mick_ryan_cfa"),
    ("Leanne Fraser", "leannef"),
    ("Rajesh Kumar", "raj_k_bellmore"),
    ("Chloe Tran 🇻🇳", "chloetran"),
    ("Bev Whitfield", "bevw_1950"),
    ("Josh Anderson", "josh_ando"),
    ("Helen Stavros", "hstavros"),
    ("Ahmed Al-Hassan أحمد", "ahmed_alhassan"),
    ("Kerry Jacobs", "kez_jacobs"),
    ("Dimitri 🇬🇷", "dimitri_b"),
    ("Narelle Gibbs", "narelle_g"),
    ("Sam Okafor", "samokafor"),
    ("Pat Murphy", "patmurphy_bellmore"),
    ("Ellie Zhang 张", "ellie.zhang"),
    ("Wayne Tucker", "wayno_t"),
    ("Bronwyn Hale", "bronnie_h"),
    ("Uncle Jack Thorpe", "jackthorpe_elder"),
    ("Lisa Marchetti", "lisa_marchetti"),
    ("Hamish Grant", "hamish_g"),
    ("Sunita Patel", "sunita.patel"),
    ("Col Baxter", "colbaxter_56"),
    ("Mia Rossi ☕", "mia_rossi"),
    ("Tegan Walsh", "tegan_walsh"),
    ("Ivan Petrov Иван", "ivan_petrov_mel"),
    ("Deb Kingsley", "debkingsley"),
    ("Jarrah Collins", "jarrah_c"),
    ("Nikki Lau", "nikki_lau"),
    ("Robbo Roberts", "robbo_r"),
    ("Yumi Sato 佐藤", "yumi_sato"),
    ("Gail Pearson", "gail_pearson"),
    ("Brendan Walsh", "brendo_w"),
    ("Amira Youssef", "amira_y"),
    ("Kev Doyle 🍺", "kevdoyle"),
    ("Sharon Ellis", "shaz_ellis"),
    ("Luke Nguyen", "lukenguyen_vic"),
    ("Jan Van der Berg", "janvdb"),
    ("Rosie Campbell", "rosiecampbell_"),
    ("Tariq Mahmood", "tariq_m"),
    ("Olivia Brooks", "liv_brooks"),
    ("Frank Costa", "frankcosta_bellmore"),
    ("Maree Dwyer", "maree_dwyer"),
    ("Zoe Kim 김", "zoe_kim"),
    ("Barry Simmons", "bazza_simmons"),
    ("Anh Pham", "anhpham_88"),
    ("Cath Lennox", "cath_lennox"),
]
# Repeat offenders: post the abusive material, several times each.
TROLLS = [
    ("Angry Bellmore Ratepayer", "bellmore_ratepayer_angry"),
    ("Truth Seeker 🇦🇺", "truthseeker_aus"),
    ("Shane Crowley", "shanecrowley_77"),
    ("Kyle B", "kyle_b_2000"),
    ("Real Aussie", "real_aussie_1788"),
    ("Dazza Not Happy", "dazza_not_happy"),
]
SPAMMERS = [
    ("Crypto Queen Jess 💰", "cryptoqueen_jess"),
    ("James Walker Trading", "jwalker_fx"),
    ("Work From Home AU", "wfh_au_2026"),
    ("Lucky Rewards", "lucky_rewards_au"),
    ("Bellmore Roofing", "bellmore_roofing"),
]
CAMPAIGNERS = [
    ("Bellmore Patriot", "bellmore_patriot_01"),
    ("Concerned Mum", "concerned_mum_vic"),
    ("Truth Matters", "truth_matters_22"),
    ("Wake Up Bellmore", "wakeup_bellmore"),
    ("Local Voice", "localvoice_3999"),
    ("Sue P", "sue_p_48213"),
    ("Mark T", "mark_t_99102"),
    ("Gary Bellmore", "gary_bellmore_1"),
    ("Real News Vic", "realnews_vic"),
]
CAMPAIGNERS_EXTRA = [("Sandy R", "sandy_r_50021")]


def author_id(platform: str, handle: str) -> str:
    h = 0
    for ch in handle:
        h = (h * 131 + ord(ch)) % 10**12
    if platform == "facebook":
        return str(100000000000000 + h)  # 15 digits
    if platform == "instagram":
        return str(17841000000000000 + h)  # 17 digits
    return str(1200000000000000000 + h * 1000)  # 19 digits


def author_rec(platform: str, who: tuple[str, str]) -> dict:
    name, handle = who
    return {"id": author_id(platform, handle), "handle": handle, "name": name}


# --------------------------------------------------------------------------- build
class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.records: list[dict] = []
        self.labels: dict[str, str] = {}
        self.counters = {"facebook": 0, "instagram": 0, "x": 0}
        # a handful of regulars post often; everyone else once or twice
        self.citizen_weights = [3.0] * 6 + [1.0] * (len(CITIZENS) - 6)
        self.rng.shuffle(self.citizen_weights)

    # ids / urls
    def new_comment_id(self, platform: str, post_key: str) -> tuple[str, str]:
        self.counters[platform] += 1
        n = self.counters[platform]
        p = POSTS[post_key]
        if platform == "facebook":
            suffix = p["id"].split("_")[1]
            cid = f"{suffix}_{3000000000000 + n}"
            url = f"https://www.facebook.com/{FB_ACCOUNT}/posts/{suffix}?comment_id={3000000000000 + n}"
        elif platform == "instagram":
            cid = str(17850000000000000 + n * 7)
            url = f"https://www.instagram.com/p/{p['shortcode']}/c/{cid}/"
        else:
            cid = str(1859100000000000000 + n * 13)
            url = ""  # filled in once the author handle is known
        return cid, url

    def pick_time(self, after: datetime, overnight_bias: bool = True) -> datetime:
        span = (WINDOW_END - after).total_seconds()
        if span < 3600:
            return (after + timedelta(seconds=self.rng.randint(60, 1800))).replace(microsecond=0)
        while True:
            # most comments arrive in the first day after a post; overnight hours are over-represented
            offset = 120 + self.rng.expovariate(1 / (15 * 3600))
            if offset > span:
                continue
            t = after + timedelta(seconds=offset)
            overnight = t.hour >= 22 or t.hour < 8
            if not overnight_bias or overnight or self.rng.random() < 0.45:
                return t.replace(microsecond=0)

    def pick_post(self, topic: str | None, platform_ok=None) -> str:
        if topic and topic in TOPIC_POSTS:
            opts = TOPIC_POSTS[topic]
        else:
            opts = list(POST_WEIGHTS.items())
        if platform_ok:
            opts = [o for o in opts if platform_ok(POSTS[o[0]]["platform"])] or [("fb_hospital", 1.0)]
        keys = [k for k, _ in opts]
        weights = [w for _, w in opts]
        return self.rng.choices(keys, weights)[0]

    def citizen(self) -> tuple[str, str]:
        return self.rng.choices(CITIZENS, self.citizen_weights)[0]

    def add(
        self,
        category: str,
        text: str,
        who: tuple[str, str],
        post_key: str,
        parent: dict | None = None,
        at: datetime | None = None,
    ) -> dict:
        assert category in CATEGORIES, category
        p = POSTS[post_key]
        platform = p["platform"]
        if platform == "x" and len(text) > 280:
            raise ValueError("too long for X")
        if platform == "x" and not text.startswith("@"):
            text = ("@BellmoreLocalNews @DCWVic " if "other_author" in p else "@DCWVic ") + text
        cid, url = self.new_comment_id(platform, post_key)
        author = author_rec(platform, who)
        if platform == "x":
            url = f"https://x.com/{author['handle']}/status/{cid}"
        if at is None:
            base = datetime.fromisoformat(p["at"]).replace(tzinfo=MEL)
            if parent is not None:
                base = datetime.fromisoformat(parent["created_at"])
            at = self.pick_time(base, overnight_bias=parent is None)
            if parent is not None and (at - base) > timedelta(hours=10):
                at = base + timedelta(minutes=self.rng.randint(3, 600))
        rec = {
            "platform": platform,
            "account": {"facebook": FB_ACCOUNT, "instagram": IG_ACCOUNT, "x": X_ACCOUNT}[platform],
            "post": post_record(post_key),
            "id": cid,
            "parent_id": parent["id"] if parent else None,
            "author": author,
            "text": text,
            "created_at": at.isoformat(),
            "url": url,
        }
        self.records.append(rec)
        self.labels[cid] = category
        rec["_post_key"] = post_key
        return rec

    def fits(self, text: str):
        return (lambda plat: True) if len(text) <= 265 else (lambda plat: plat != "x")

    def build(self) -> None:
        rng = self.rng
        medicare, tfn = make_medicare(), make_tfn()

        # civic comments, topical
        for category, pool in (
            ("ordinary", T.ORDINARY),
            ("lawful_criticism", T.LAWFUL_CRITICISM),
            ("mild_swearing_criticism", T.MILD_SWEARING_CRITICISM),
        ):
            for topic, items in pool.items():
                for text in items:
                    self.add(
                        category,
                        text,
                        self.citizen(),
                        self.pick_post(None if topic == "any" else topic, self.fits(text)),
                    )
        for topic, text in T.SCUNTHORPE:
            self.add("scunthorpe", text, self.citizen(), self.pick_post(None if topic == "any" else topic))

        # violations
        troll = lambda: rng.choice(TROLLS)  # noqa: E731
        for text in T.OFFENSIVE_SEVERE:
            self.add("offensive_severe", text, troll() if rng.random() < 0.7 else self.citizen(), self.pick_post(None))
        for text in T.HATE:
            self.add("hate", text, troll(), self.pick_post(None))
        for text in T.THREAT:
            self.add("threat", text, troll() if rng.random() < 0.6 else self.citizen(), self.pick_post(None))
        for text in T.HARASSMENT:
            self.add("harassment", text, troll(), self.pick_post(None))
        for text in T.PERSONAL_INFO:
            text = text.replace("{MEDICARE}", medicare).replace("{TFN}", tfn)
            self.add("personal_info", text, self.citizen(), self.pick_post(None))
        for text in T.DEFAMATION:
            self.add("defamation", text, troll() if rng.random() < 0.5 else self.citizen(), self.pick_post(None))
        for i, text in enumerate(T.SUB_JUDICE):
            topic = "concession" if "Haddad" in text else "bushfire"
            self.add("sub_judice", text, troll() if i % 2 else self.citizen(), self.pick_post(topic))
        for text in T.SUPPRESSION_ORDER:
            self.add(
                "suppression_order",
                text,
                troll() if rng.random() < 0.5 else self.citizen(),
                self.pick_post(rng.choice(["bushfire", "youth", None])),
            )
        for text in T.SPAM:
            self.add("spam", text, rng.choice(SPAMMERS), self.pick_post(None))
        # copy-paste campaign: several accounts, same text, within a few hours overnight
        start = datetime(2026, 11, 20, 23, 10, tzinfo=MEL)
        for i, text in enumerate(T.COPY_PASTE_VARIANTS):
            key = [
                "fb_hospital",
                "fb_hospital",
                "fb_bushfire",
                "fb_concession",
                "ig_flu",
                "fb_hospital",
                "x_bushfire",
                "ig_youth",
                "fb_hospital",
            ][i]
            who = CAMPAIGNERS[i]
            self.add(
                "copy_paste_campaign",
                text,
                who,
                key,
                at=start + timedelta(minutes=17 * i + rng.randint(0, 9), seconds=rng.randint(0, 59)),
            )
        for name, handle, text in T.IMPERSONATION:
            self.add("impersonation", text, (name, handle), self.pick_post(None))
        for text in T.COPYRIGHT:
            self.add(
                "copyright",
                text,
                self.citizen() if rng.random() < 0.5 else troll(),
                self.pick_post(None, self.fits(text)),
            )
        for text in T.POLITICAL:
            self.add("political", text, self.citizen(), self.pick_post(None))
        for text in T.OFF_TOPIC:
            self.add("off_topic", text, self.citizen(), self.pick_post(None))
        for text in T.HOSTILE_TERMINAL:
            self.add("hostile_terminal", text, self.citizen(), self.pick_post(None))

        # replies (~16%): to earlier top-level comments on the same post
        tops = [r for r in self.records if r["parent_id"] is None]
        civic_tops = [
            r
            for r in tops
            if self.labels[r["id"]] in ("ordinary", "lawful_criticism", "mild_swearing_criticism", "scunthorpe")
        ]
        crit_tops = [r for r in tops if self.labels[r["id"]] in ("lawful_criticism", "mild_swearing_criticism")]
        replies: list[tuple[str, str, list[dict], tuple[str, str] | None]] = []
        for t in T.REPLY_ORDINARY:
            replies += [("ordinary", t, civic_tops, None)] * 2
        for t in T.REPLY_CRITICISM:
            replies += [("lawful_criticism", t, crit_tops, None)] * 2
        for t in T.REPLY_MILD_SWEARING:
            replies += [("mild_swearing_criticism", t, crit_tops, None)] * 2
        for t in T.HARASSMENT_REPLIES:
            replies.append(("harassment", t, civic_tops, "troll"))
        for t in T.SUB_JUDICE_REPLIES:
            sj_parents = [
                r
                for r in crit_tops
                if r["_post_key"] in ("fb_concession" if "Haddad" in t else "fb_bushfire", "x_bushfire")
            ]
            replies.append(("sub_judice", t, sj_parents or crit_tops, "troll"))
        rng.shuffle(replies)
        # the regulars' conversations: a couple of second-level replies (reply to a reply)
        made: list[dict] = []
        for category, template, parents, kind in replies:
            parent = rng.choice(parents)
            who = troll() if kind == "troll" else self.citizen()
            while who[1] == parent["author"]["handle"]:
                who = self.citizen()
            text = template.replace("{h}", parent["author"]["handle"])
            made.append(self.add(category, text, who, parent["_post_key"], parent=parent))
        for r in rng.sample([m for m in made if self.labels[m["id"]] in ("ordinary", "lawful_criticism")], 4):
            who = self.citizen()
            while who[1] == r["author"]["handle"]:
                who = self.citizen()
            self.add(
                "ordinary", f"@{r['author']['handle']} thanks, that's what I was after.", who, r["_post_key"], parent=r
            )

    def write(self) -> None:
        self.records.sort(key=lambda r: (r["created_at"], r["id"]))
        seen: set[str] = set()
        with open(HERE / "corpus.jsonl", "w", encoding="utf-8", newline="\n") as fh:
            for rec in self.records:
                assert rec["parent_id"] is None or rec["parent_id"] in seen
                seen.add(rec["id"])
                out = {k: v for k, v in rec.items() if not k.startswith("_")}
                fh.write(safe_json(out) + "\n")
        ordered = {r["id"]: self.labels[r["id"]] for r in self.records}
        (HERE / "labels.json").write_text(json.dumps(ordered, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def safe_json(obj) -> str:
    """JSON with readable Unicode, but control/format/separator characters escaped as \\uXXXX."""
    raw = json.dumps(obj, ensure_ascii=False)
    out = []
    for ch in raw:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs") or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else json.dumps(ch)[1:-1])
        else:
            out.append(ch)
    return "".join(out)


def main() -> None:
    b = Builder()
    b.build()
    b.write()
    from collections import Counter

    counts = Counter(b.labels.values())
    print(f"{len(b.records)} comments")
    for cat in CATEGORIES:
        print(f"  {cat:26} {counts[cat]}")


if __name__ == "__main__":
    main()
