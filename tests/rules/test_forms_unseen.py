"""Forms found by writing comments the rules had never been tuned on: a member of a group called by a word after
the group's ("refugee parasites"), the group then "they" across a question mark or a full stop, "would be better
without", hatred through what being near a group does to the writer, what a group is said to deserve, veiled
threats ("keep posting and see what happens"). Each case is hidden, queued or left alone as the policy says, beside
lawful look-alikes."""

from __future__ import annotations

import pytest

from moderation.rules import Policy

from .support import hidden, rule_findings

HIDDEN = [
    "Typical behaviour from that Muslim scum",
    "refugee parasites everywhere you look",
    "Look at all these Jewish vermin",
    "Lebanese cockroaches, the lot of them",
    "I honestly do not believe Africans are human",
]


# A threat against a group named by a slur that is only queued on its own.
HIDDEN += ["someone should shoot all the muzzies", "I will stab every tranny I see"]
# Threats in forms the grammar missed: a member named with "every" before "deserves", "the shit out of", "hunted down".
HIDDEN += [
    "The minister will get a bullet one day",
    "The refugees should get the rope",
    "I'll rip your head off",
    "It would be great if someone shot all the refugees",
    "It'd be nice if somebody would just kill the minister",
    "I hope you drop dead",
    "go jump off a cliff you grub",
    "every refugee deserves a bullet",
    "I'm going to kick the shit out of that caseworker",
    "the minister should be hunted down",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_members_called_a_dehumanising_word_and_threats_against_a_slur_named_group_are_hidden(
    policy: Policy, text: str
) -> None:
    assert hidden(policy, text), text


QUEUED = [
    "Sudanese thugs again on the news",
    "trans freaks should stay off my feed",
    "Migrants? They are all freeloaders and liars.",
    "Refugees. They're a burden.",
    "Lesbians are abnormal",
    "Muslim people are pathetic",
    "Indians will never be normal",
    "Asian people deserve what happens to them",
    "The suburb would be better off without any Africans",
    "Our town would be a better place without Muslims",
    "Things were better if there were no Sudanese people here",
    "Nobody wants Lebanese people in this street",
    "I will never accept trans people",
    "Sitting near Muslim people makes me sick",
    "Being around Chinese people makes me want to vomit",
    "Keep posting and see what happens",
    "You had better watch yourself from now on",
    "I'm gonna make you pay",
    "She needs a good slap",
    "you're gonna end up in the morgue mate",
    "we're coming to teach you a lesson",
    "step outside and see what happens",
    "I'd like to see you bleed",
    "would be a shame if your house caught fire",
    "I know which school your kids go to",
    "by the time I'm done with you, you'll wish you never posted",
    "time to start hunting Muslims",
    "I want to see every Muslim dead",
    "hurt my kids again and you'll regret it",
    "if the minister shows up here he won't get out alive",
    "you're a dead man walking",
    "Somalis are known for scamming",
    "Lebanese people tend to be violent",
    "Muslims always play the victim card",
    "All refugees ever do is whinge",
    "Jews are destroying our way of life",
    "you can never trust a Chinese",
    "I wish Somalis didn't exist",
    "Indians really get on my nerves",
    "There's nothing I hate more than Lebanese people",
    "I can't stand the sight of Muslim women",
    "Are all Africans criminals?",
    "Why do Indians always lie?",
    "why are Chinese people such terrible drivers",
    "Torres Strait Islanders don't deserve land rights",
    "Chinese people should not be allowed to buy houses",
    "Lesbian couples should not be allowed to adopt",
    "Autistic kids should be kept out of mainstream schools",
    "women belong in the home",
    "Men are superior to women",
    "Sudanese are genetically superior to nobody and inferior to everyone",
    "Aboriginals are just welfare bludgers",
    "trans women are just men in wigs",
    "lesbians just need a good root",
    "your mother should have aborted you",
    "you've got the IQ of a goldfish",
    "get back in the kitchen love",
    "I wish you were dead",
    "i hat3 muslims",
    "I fkn hate Indians",
    "the minister can rot in hell",
    "I hope that caseworker gets what she deserves",
    "the woman at the front desk is an ugly cow",
    "whoever wrote this post is a total muppet",
    "up yours Centrelink",
    "I know the minister bashes his wife",
    "im gona stab the lot of u",
    "get lost you Lebanese mongrel",
    "There are way too many Sudanese in this suburb",
    "Far too many Muslims!",
    "I wouldn't let my son marry a Jew",
    "honestly I have zero respect for Hindus",
    "Indian lives don't matter",
    "Refugees have no place in our community",
    "Why do Indians smell so bad",
    "Asian women are just objects",
    "Jews are snakes",
    "I'll get you, mark my words",
    "Touch my kids again, you're dead",
    "Say that again and you're dead",
    "You won't see the end of the year",
    "Just wait until I catch you alone",
    "wait till I get my hands on you",
    "Never hire an Aboriginal",
    "Don't ever rent to Indians",
    "Trans people are delusional",
    "Jews are the enemy of the people",
    "Muslims have no business being in parliament",
    "Refugees not welcome",
    "Jewish people only care about money",
    "Women don't deserve equal pay",
    "Refugees don't deserve our help",
    "I don't want Muslims living next to me",
    "We should stop Asians from buying property",
    "Keep the Muslims out of our country",
    "I want all the Africans dead",
    "People like you get stabbed",
    "Bring back hanging for politicians",
    "Guillotine the lot of them",
]


@pytest.mark.parametrize("text", QUEUED)
def test_unseen_forms_are_flagged_by_a_rule(policy: Policy, text: str) -> None:
    assert rule_findings(policy, text), text


LAWFUL = [
    "That bloke deserves a bullet proof vest",
    "The team should get the rope access certification first",
    "Climbers need to get the rope checked before each climb",
    "He'll get the rope ladder from the shed",
    "It would be great if someone shot a video of the parade",
    "She deserves the chair of the board",
    "He deserves the chair",
    "The minister needs to get a bullet-proof vest",
    "The Blues will get a good hiding on Saturday",
    "I want the old timetable dead and buried",
    "People like you get things done",
    "Bring back hanging baskets for the main street",
    "Keep Aboriginal kids out of detention",
    "We need to keep women out of poverty",
    "Keep refugees out of harm's way",
    "Refugees don't deserve to be locked up",
    "Women don't deserve to be abused",
    "I don't want women living in fear",
    "We must stop refugees from drowning at sea",
    "Older people only care about their grandkids",
    "The minister has no business being in parliament",
    "Never hire a cleaner without references",
    "Never vote for a party that cuts funding for Aboriginal health",
    "Employers who never hire Aboriginal people should be fined",
    "Do that again and you're dead to me",
    "Miss another deadline and you're dead in the water",
    "I'll get you a coffee, mark my words it's good",
    "Wait till I get my hands on the new iPhone",
    "It would be great if someone fixed the road",
    "It would be great if someone killed this bill",
    "Indian mynas are pests in Sydney gardens",
    "We saw African animals at the zoo today",
    "It's not ok to call Lebanese rats",
    "The roads would be better without potholes",
    "Nobody wants queues at Centrelink",
    "I love seeing Muslim families at the festival",
    "Refugees? They are welcome here.",
    "I don't think Muslims are humans who need our pity, they need our respect",
    "Seeing Aboriginal people lead the ceremony makes me proud",
    "Too many Aboriginal kids are still in detention",
    "too many women are dying from domestic violence",
    "Japanese dog breeds are lovely",
    "Black lives matter",
    "I respect women and always will",
    "Hate against trans women has no place here",
    "Not all Muslim men are thugs",
    "us queer freaks are throwing a party on Saturday",
    "The vilification of Muslim men has no place in our society",
    "I'd kill for a fag and a coffee right now",
    "we need to blow up the dyke to drain the paddock",
    "you're going to end up in hospital if you keep skipping meals, look after yourself",
    "I'd like to see you at the next council meeting",
    "I know your kids' school has a great library",
    "Refugees are known for their resilience",
    "Women tend to be paid less than men",
    "Are Muslims welcome to use the community hall?",
    "Are all refugees eligible for Medicare?",
    "I'm going to kick the shit out of you at Mario Kart tonight",
    "You're dead right about the bus timetable",
    "Aboriginal people have superior knowledge of country",
    "The galahs were feeding on the oval this morning",
    "Check the dipstick before a long drive",
]


@pytest.mark.parametrize("text", LAWFUL)
def test_lawful_look_alikes_are_not_hidden(policy: Policy, text: str) -> None:
    assert not hidden(policy, text), text
    assert not any(f.rule_id.startswith(("hate.group", "threat.")) for f in rule_findings(policy, text)), text


# Counter-speech and reports that hold the new forms up to be judged: a person may look, software never hides.
NOT_HIDDEN = [
    "Imagine thinking Lebanese cockroaches is an acceptable thing to say",
    "He called us Muslim scum and laughed",
    "Someone sprayed 'refugee parasites' on the bus shelter",
    "My uncle thinks Jews are snakes and I'm ashamed of him",
]


@pytest.mark.parametrize("text", NOT_HIDDEN)
def test_counter_speech_and_reports_are_not_hidden(policy: Policy, text: str) -> None:
    assert not hidden(policy, text), text


# A short group word followed by punctuation ("Jews.", "gays!"): the detector's prefilter once needed a space after it.
@pytest.mark.parametrize(
    "text", ["I hate Jews.", "We despise gays!", "I can't stand Jews, honestly", "Honestly I hate gays."]
)
def test_a_short_group_word_before_punctuation_is_read(policy: Policy, text: str) -> None:
    assert any(f.rule_id.startswith("hate.group") for f in rule_findings(policy, text)), text


def test_what_may_become_of_a_vote_is_queued_not_hidden(policy: Policy) -> None:
    text = "Cut the pension again and see what happens to your vote"
    assert not hidden(policy, text)
    assert any(f.rule_id.startswith("threat.") for f in rule_findings(policy, text))
