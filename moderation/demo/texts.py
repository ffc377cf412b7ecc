# ruff: noqa: E501  (data file: long literal texts)
"""Hand-written comment texts for the demo corpus (fictional; see build_corpus.py).

WARNING: the violation lists (offensive_severe, hate, threat, harassment, defamation, ...) contain deliberately
abusive, threatening or unlawful text. They exist only as labelled test data for the moderation rules.
Every person, place-name-based address, phone number and identifier below is invented. Phone numbers use the
ranges ACMA reserves for fiction (mobiles 0491 570 xxx, Melbourne landlines (03) 5550 xxxx / (03) 7010 xxxx);
emails use example.com/example.net/example.org.

Topic keys: hospital, kinsale, youth, bushfire, flu, concession, any.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- ordinary (civic, on-topic)
ORDINARY: dict[str, list[str]] = {
    "hospital": [
        "Finally! Bellmore has needed its own hospital for twenty years. Congratulations to everyone who worked on it.",
        "Does the new hospital have an emergency department open 24/7 or is it day surgery only?",
        "Is there free parking for patients? The old clinic car park was a nightmare.",
        "My mum was in the old Bellmore clinic for three weeks last winter. So glad locals won't have to drive to the city now.",
        "Will there be a bus from the train station? Not everyone can drive.",
        "Which specialists will be consulting there? Need to know if I still have to trek to Melbourne for the cardiologist.",
        "Beautiful building. Hope they've got enough nurses to staff it.",
        "Is there a maternity ward? Asking for my daughter who's due in March.",
        "Great to see Aboriginal art in the foyer, it looks amazing in the photos.",
        "How do I get a referral to the outpatient physio clinic there? My GP didn't know.",
        "Went past this arvo, the garden out the front is lovely. Well done to the landscapers.",
        "Will the hospital take walk-ins or do you need to go through 000 / your GP?",
        "Are visiting hours the same as at the old clinic?",
        "Is there a kiosk or cafe? Long waits are easier with a decent coffee.",
        "Good news for the whole shire. My neighbour had to wait 90 minutes for an ambulance last year.",
        "Can volunteers sign up somewhere? I'm retired and happy to help at the front desk.",
        "Does the hospital have interpreters? Lots of older Greek and Vietnamese folks in Bellmore.",
        "Is the pharmacy open on weekends?",
    ],
    "kinsale": [
        "How long is Kinsale Road closed for? The post doesn't say an end date.",
        "What's the detour for trucks? Murray Street can't take B-doubles.",
        "Will the bus route 742 still stop at the servo on the corner or is that stop moved?",
        "Thanks for the heads up. Will leave earlier for school drop off.",
        "Is the bike lane staying open during the works?",
        "Can residents on Kinsale Road still get in and out of their driveways?",
        "Are the works happening overnight too? I'm a shift worker and need to sleep during the day.",
        "Good to finally see the potholes fixed. I've been through two tyres this year.",
        "Is there a map of the detour? The signs at the roundabout are confusing.",
        "Will the footpath near the primary school be open? Kids walk that way.",
        "Who do I contact about dust from the works? It's getting into the house.",
        "Is the Saturday market still going ahead with the closure?",
        "Does the closure affect access to the tip on Kinsale Road?",
        "Any chance of a pedestrian crossing near the shops once the upgrade's done?",
        "My Myki trip planner still shows the old route. Might want to let PTV know.",
        "Roadworks crew were really polite when I asked for directions this morning. Credit where it's due.",
    ],
    "youth": [
        "Really glad this consultation is happening. My son waited eight months for a headspace appointment.",
        "Can young people fill in the survey themselves or does a parent need to?",
        "Please include rural kids. We're 90 minutes from the nearest youth mental health service.",
        "Will there be in-person sessions in Bellmore or only online?",
        "As a school counsellor I'd love to contribute. Is there a separate submission for professionals?",
        "Please make the survey available in languages other than English.",
        "Is the consultation open to under-18s without parental consent? Some kids can't ask their parents.",
        "Thank you. Mental health support for teenagers in our area is desperately needed.",
        "Will the results be published? Would be good to see what people actually said.",
        "When does the consultation close? Need to get our youth group to respond.",
        "Please talk to LGBTIQ+ young people, they face some of the longest waits.",
        "Could you run a session at the Bellmore library after school hours?",
        "Is there funding for more school psychologists or is this just about clinics?",
        "My daughter is 16 and wants to have her say. Is there a youth reference group?",
        "Suggestion: drop-in hours on weekends. Kids are at school when most services are open.",
    ],
    "bushfire": [
        "How do I apply for the recovery grant if I lost sheds and fencing but not the house?",
        "Is the grant available to renters or only owners?",
        "Thank you to the CFA volunteers and everyone who helped. We'll rebuild.",
        "Where's the recovery centre? Is it still at the Bellmore Memorial Hall?",
        "Do I need an insurance assessment letter before applying?",
        "Is there help for small businesses that lost trade during the evacuation?",
        "My elderly parents don't use the internet. Can they apply over the phone?",
        "What's the deadline for applications?",
        "Do the grants cover replacing water tanks? Ours melted.",
        "Is there any support for farmers who lost stock?",
        "Can we get help with clearing burnt trees near the road? Some look ready to fall.",
        "The recovery centre staff were lovely when I went in on Tuesday. Thank you.",
        "Is there counselling available for kids who went through the fires?",
        "Will the grant count as income for Centrelink purposes?",
        "Our community group is organising a working bee on Sunday to help with fencing. All welcome.",
        "Does the grant cover temporary accommodation if we can't live in the house yet?",
        "Wildlife carers need help too. Any grants for the shelter on Ridge Road?",
    ],
    "flu": [
        "Is the flu clinic walk-in or do I need to book?",
        "Are kids under 5 eligible at the free clinic?",
        "What are the opening hours on weekends?",
        "Do I need to bring my Medicare card?",
        "Is the clinic wheelchair accessible?",
        "Just got my jab there this morning. In and out in 15 minutes, friendly staff.",
        "Can I get the COVID booster at the same time?",
        "Is it free for people without Medicare, like international students?",
        "Which vaccine brand are you using this year?",
        "Great initiative. Bulk billing GPs are impossible to find round here.",
        "Is there parking near the clinic or should I take the tram?",
        "Are pregnant women able to get it there?",
        "Will there be a pop-up clinic in the outer suburbs too? Not everyone can get into town.",
        "Took my 80 year old dad, nurse was so patient with him. Thanks DCW.",
    ],
    "concession": [
        "Does the new rule mean I have to reapply for my concession card?",
        "Will pensioners keep the Myki concession fare?",
        "When does the change take effect?",
        "I'm on JobSeeker. Am I still eligible under the new rules?",
        "Can you explain what counts as income for the new threshold?",
        "Is there a phone line for questions? The website is a bit confusing.",
        "Do health care card holders get the energy concession automatically?",
        "My card expires next month. Should I renew under the old rules or wait?",
        "Does this affect the water bill concession too?",
        "Is there a grace period for people who miss the new deadline?",
        "Thanks for explaining it in plain English. The FAQ link was helpful.",
        "Do carers get the same concessions as the person they care for?",
        "What documents do I need to bring to update my details?",
        "Will international students still get a concession Myki?",
    ],
    "any": [
        "Thanks for keeping us updated.",
        "Could you post this in the local paper too? Not everyone's on socials.",
        "Appreciate the clear info, cheers.",
        "Is there a number to call instead of emailing? I never get a reply to emails.",
        "Good work DCW team.",
        "Shared to our community noticeboard group.",
        "Will there be an Easy English version of this?",
        "Can you please add captions to the video? My husband is deaf.",
        "Love that this was posted in Vietnamese as well. Cảm ơn!",
    ],
}

# --------------------------------------------------------------------------- lawful criticism (must not be hidden)
LAWFUL_CRITICISM: dict[str, list[str]] = {
    "hospital": [
        "A hospital with no emergency department at night isn't a hospital. Minister Carraway promised a full ED in 2022.",
        "Nice ribbon cutting for the cameras. Meanwhile the hospital opened eighteen months late and way over budget.",
        "The government took years to build this and still hasn't said how they'll staff it. Typical.",
        "Minister Carraway should be embarrassed. The contract was signed in 2021 and the doors only open now.",
        "How many beds? 40? For a shire of 60,000 people? That's a joke of a plan.",
        "Opening a hospital while closing the community health centre down the road isn't progress.",
        "I'll believe it when the wait times actually drop. Press releases don't treat patients.",
        "The department ignored every submission asking for a mental health ward. Very disappointing.",
    ],
    "kinsale": [
        "Closing Kinsale Road for six months with two weeks' notice is disgraceful planning.",
        "Nobody consulted the businesses on Kinsale Road. Some of us won't survive half a year with no passing trade.",
        "The detour adds 20 minutes each way. Did anyone at the department actually drive it?",
        "These upgrade works were promised in 2019. Now they're dumped on us in the middle of the Christmas season.",
        "The department says it listened to the community. It didn't. We asked for staged works, not a full closure.",
        "Incompetent planning from start to finish. Minister Carraway should come and sit in this traffic.",
        "Another project announced with fanfare and zero detail. Where's the traffic management plan?",
    ],
    "youth": [
        "Another consultation. We had one in 2023 and nothing changed. Kids need services, not surveys.",
        "Priya Raman's department has consulted us to death while wait lists grow. Fund the clinics.",
        "The survey is 40 questions long. No teenager is going to finish that. Poorly designed.",
        "A two-week consultation window over the school holidays? Seems designed to get no responses.",
        "Minister Carraway cut youth mental health funding last budget and now wants our opinions. Hypocritical.",
        "Consultations are how governments look busy while doing nothing. Prove me wrong.",
    ],
    "bushfire": [
        "The grant form is 22 pages long. People who lost everything shouldn't need a lawyer to apply.",
        "$5,000 doesn't replace a fence line let alone a house. This is a token gesture.",
        "It took the department five weeks to announce these grants. People were sleeping in cars.",
        "The recovery centre hours are 10 to 3 on weekdays. Working people can't get there. Poor effort.",
        "Minister Carraway turned up for the photos and hasn't been back since. We noticed.",
        "Why are renters excluded? They lost everything too. This policy is unfair and should be changed.",
        "The department's fire preparedness was inadequate and the coroner should look at it.",
        "The hotline put me on hold for 90 minutes then hung up. This is not good enough.",
    ],
    "flu": [
        "A free clinic is nice but one site for the whole region isn't enough. Terrible access for the outer suburbs.",
        "Why is this only open 9 to 3? Workers can't get there. Badly thought out.",
        "Should have been done in April before flu season, not November. Too little too late.",
        "I queued for two hours and they ran out of vaccines. Organisation was shocking.",
    ],
    "concession": [
        "This change will push thousands of pensioners off concessions. Shameful policy.",
        "Tightening the income test in a cost of living crisis is cruel. The Minister should reverse it.",
        "The department buried this change on a Friday afternoon hoping no one would notice. We noticed.",
        "Priya Raman and Minister Carraway are balancing the budget on the backs of the poorest people in Victoria.",
        "I've been on the phone queue for three days. The department is not coping with its own rule change.",
        "Cutting concessions for carers is a disgrace. Carers save this state billions.",
        "The new rules were not mentioned before the election. That's a broken promise.",
        "Whoever designed the new form has never been poor. It's unreadable.",
    ],
    "any": [
        "Tom Whitlock's statement to the media yesterday answered none of the questions people asked.",
        "The department deletes criticism on this page. Let's see if this stays up.",
        "This government has lost touch with regional Victoria.",
        "Minister Carraway should resign over the way this has been handled.",
        "Spin, spin, spin. Just answer the questions people are asking in the comments.",
        "Priya Raman earns over $400k a year and still can't get the basics right.",
        "Why does DCW never reply to comments? Communication is a two-way street.",
        "Worst-run department in the state, and I've dealt with most of them.",
    ],
}

MILD_SWEARING_CRITICISM: dict[str, list[str]] = {
    "hospital": [
        "Bloody hell, 18 months late and they want a round of applause.",
        "What a shitshow this project has been. Three budget blowouts and still no ED at night.",
        "The parking is crap and the signage is worse. Did anyone test this with actual patients?",
    ],
    "kinsale": [
        "Six months?! Bloody ridiculous. Kinsale Road is the only way into town.",
        "What a shitshow. The detour signs point straight back to the closure.",
        "Damn it DCW, at least tell people before you rip up the road.",
        "Crap planning, crap communication, crap detour.",
        "Bloody typical. Close the main road right before Christmas shopping.",
    ],
    "youth": [
        "Damn right it's needed, but another survey is crap. Just hire the psychologists.",
        "Bloody consultations. My kid needs help now, not in a 2028 strategy document.",
    ],
    "bushfire": [
        "The grant portal crashed three times. Bloody useless.",
        "What a shitshow the recovery centre is. Nobody knows what anybody else is doing.",
        "Damn shame it took a fire for the department to remember Bellmore exists.",
        "The insurance and grant paperwork is a pile of crap for people who've lost everything.",
    ],
    "flu": [
        "Waited two bloody hours in the sun. Bring some chairs next time.",
        "Ran out of vaccines by 11am. What a damn joke.",
    ],
    "concession": [
        "What a shitshow. Nobody at the call centre knows what the new rules are.",
        "Bloody disgrace cutting concessions for pensioners.",
        "This is crap policy and the Minister bloody well knows it.",
        "Damn it, Minister Carraway, some of us are choosing between heating and food.",
    ],
    "any": [
        "Bloody hopeless department. Answer your emails.",
        "Same crap, different press release.",
        "Give us a break, Minister. This is a damn mess.",
    ],
}

# --------------------------------------------------------------------------- Scunthorpe traps (ordinary, must pass)
SCUNTHORPE: list[tuple[str, str]] = [
    ("any", "My sister moved from Cockburn in WA to Bellmore last year. Will she need a new concession card here?"),
    ("bushfire", "We're up near Mount Buggery and had spot fires too. Is the grant only for the Bellmore postcode?"),
    ("flu", "Any chance of a flu clinic pop-up near Tittybong? It's a long drive for the oldies."),
    ("concession", "Holidaying at Dicky Beach over Christmas. Does the Victorian concession card work in Queensland?"),
    ("hospital", "I trained as a nurse in Scunthorpe before moving to Australia. Is the hospital hiring?"),
    ("concession", "How long does the income assessment take under the new concession rules?"),
    ("youth", "Year 11 class at Bellmore Secondary is doing a submission to the consultation as a class project."),
    ("hospital", "Hope the hospital cafe does better than a sad cocktail frank and a stale sandwich."),
    ("flu", "Grandad grew up in Essex and says this is the best-run clinic he's seen in either country."),
    ("bushfire", "Family in Wonthaggi is collecting donations for Bellmore. Where should they drop them off?"),
    ("youth", "Please hold a session in Mooroolbark. Lots of young people out this way need support."),
    ("kinsale", "Coming from Koo Wee Rup for the market. Which way do I go now Kinsale Road's shut?"),
    ("flu", "Is there a clinic closer to Nar Nar Goon? The bus only runs twice a day."),
    ("concession", "First-class service at the Bellmore office today sorting out my card. Thank you Shazza!"),
    ("hospital", "Need a pre-surgery assessment. Can that be done at Bellmore now instead of the Alfred?"),
    ("bushfire", "Cockburn Street in Bellmore is still blocked by fallen trees near the park. Who do we report it to?"),
]

# --------------------------------------------------------------------------- policy violations (test data only)
OFFENSIVE_SEVERE: list[str] = [
    "F.U.C.K this department and f.u.c.k the minister.",
    "f u c k i n g useless the lot of you",
    "What a load of sh1t. Total sh1tshow run by clowns.",
    "Fuuuuuuuuuuuck off with your hospital propaganda",
    "You're all a bunch of \u0441unts at DCW",  # Cyrillic es
    "Go f\u0443ck yourselves, \u0430rseholes",  # Cyrillic u, a
    "Absolute c*nts running this state.",
    "Shove your concession card up your arse you motherf***ers",
    "FUCKING DISGRACE. EAT SHIT DCW.",
    "Piece of sh!t department full of d1ckheads and wank3rs",
    "Get f-u-c-k-e-d Carraway, you useless c u n t",
    "ᶠᵘᶜᵏ this road closure and ᶠᵘᶜᵏ you",
]

# Slurs and hate against protected groups: deliberately few and obvious (test data only).
HATE: list[str] = [
    "This is what happens when you let the wogs run the health system. Send them back where they came from.",
    "Bet the grants all go to the abos again while hard working whites get nothing.",
    "Muslims are vermin and shouldn't get a cent of our money.",
    "Don't let poofters near our kids at that youth service.",
    "The hospital is full of curry-munching immigrants stealing Aussie jobs.",
    "Women shouldn't be ministers, they're too emotional and stupid to run anything.",
    "Jews control the department, that's why nothing works. Wake up people.",
    "Trannies are mentally ill freaks, no wonder the youth consultation is a joke.",
]

THREAT: list[str] = [
    "Someone should put a bullet in Carraway's head before she ruins another town.",
    "I know where the Bellmore DCW office is. Next time I'm bringing a can of petrol.",
    "Tom Whitlock better watch his back when he leaves work. I'll be waiting.",
    "If my concession gets cut I will come down there and smash every one of you.",
    "Priya Raman deserves to be dragged into the street and beaten.",
    "Keep closing our road and see what happens to your workers' cars. And your workers.",
    "I'm going to burn that hospital to the ground with the minister in it.",
    "The nurse who turned my mum away will get what's coming. I know what car she drives.",
    "Somebody's going to get stabbed at that recovery centre if they keep treating us like this.",
]

HARASSMENT: list[str] = [
    "Sharon Pickett from the recovery centre is a fat useless cow. Everyone go message her and tell her.",
    "Tom Whitlock is a spineless little worm. I'm going to keep posting this under every DCW post until he quits.",
    "Hey everyone, Nurse Karen Whitfield is the ugly one at the front desk. Make her life hell.",
    "Minister Carraway is a dried up old hag nobody would ever touch. Look at the state of her.",
    "Priya Raman you are a pathetic waste of oxygen and your kids should be ashamed of you.",
    "Found Tom Whitlock's Instagram. Let's all go pile on him, he deserves it.",
    "Tom Whitlock you pathetic worm, I'll keep tagging you until you crack.",
]

# replies that bully the parent comment's author ({h} = parent handle)
HARASSMENT_REPLIES: list[str] = [
    "@{h} shut up you dumb old cow, nobody cares what you think",
    "@{h} you again? Get a life loser. I'll be following you to every post you make.",
    "@{h} go back to your hole you pathetic little troll. Everyone here hates you.",
    "@{h} lmao you're so stupid it hurts. Delete your account.",
    "@{h} nobody asked you, you ugly waste of space",
]

PERSONAL_INFO: list[str] = [
    "Can someone from the grants team call me back? My mobile is 0491 570 156, I've been waiting a week.",
    "Ring me on +61 491 570 110 about the bushfire grant, I'm home all day.",
    "My landline is (03) 5550 4477, please call about my mum's hospital discharge.",
    "Email me at jenny.b.bellmore@example.com with the concession forms please.",
    "My Medicare number is {MEDICARE} can you check if I'm booked at the flu clinic?",
    "Here's my TFN {TFN} for the grant application, the portal won't take it.",
    "My Centrelink CRN is 204 518 337K and my concession card still hasn't come.",
    "Please send the grant cheque to 14 Wattle Street, Bellmore VIC 3999.",
    "My neighbour Sharon at 22 Banksia Court, Bellmore VIC 3999 is on the disability pension and is rorting it.",
    "The lady who owns the house at 7 Kinsale Road, Bellmore is Mrs Edna Holloway and she's 84 and lives alone. Someone check on her.",
    "Contact me: darren.k@example.net or 0491 570 159 re Kinsale Road compensation.",
    "I'm a DCW client, case number DCW-2026-118734, DOB 03/04/1961, please fix my file.",
    "Call (03) 7010 1234 and ask for Gary, he has all the Bellmore fire victims' names and addresses.",
    "My son's school is Bellmore Secondary, he's in year 9 and his name is Liam Porter, he needs the youth service urgently.",
]

DEFAMATION: list[str] = [
    "Greg Tanner at Bellmore Shire took kickbacks from the road contractor. That's why Kinsale Road is shut for six months.",
    "Nurse Karen Whitfield at Bellmore hospital is taking bribes to push people up the surgery list.",
    "Tom Whitlock pocketed bushfire grant money. Everyone in the department knows it.",
    "Priya Raman rigged the hospital tender so her brother-in-law's firm got the contract. Corrupt to the core.",
    "Dr Alan Petrakis at the flu clinic is watering down the vaccines and selling the rest on the side.",
    "The recovery centre manager, Sharon Pickett, has been stealing donated goods and selling them on Marketplace.",
    "Minister Carraway took a $50,000 bribe from the developer to close Kinsale Road. Fact.",
    "Council officer Greg Tanner is a paedophile, ask anyone in Bellmore.",
    "Priya Raman falsified the youth mental health data to hide the suicides. She should be in jail.",
    "Bellmore Concrete and its owner Steve Brandt bribed DCW officials for the hospital car park job.",
]

SUB_JUDICE: list[str] = [
    "Daniel Foster is guilty as sin. He lit the Bellmore fire and everyone knows it.",
    "Why are we wasting money on a trial? Foster did it, lock him up and throw away the key.",
    "Daniel Foster was seen with a jerry can on Ridge Road that morning. The arsonist is guilty, case closed.",
    "Hope the jury does the right thing and sends Daniel Foster down. He burned my town.",
    "Marcus Lee Haddad stole millions from the concession scheme. Guilty. No trial needed.",
    "Marcus Haddad is a fraudster who ripped off pensioners, the court should throw the book at him.",
    "The firebug Daniel Foster has a history of lighting fires. He's guilty of Bellmore too.",
    "Don't care what his lawyer says, Marcus Lee Haddad is a crook and he did it.",
    "Foster confessed to his mates at the pub. Guilty guilty guilty.",
]

SUB_JUDICE_REPLIES: list[str] = [
    "@{h} and Daniel Foster is the one who did it, no doubt about it",
    "@{h} this is all because Marcus Lee Haddad robbed the scheme blind. He's guilty.",
]

SUPPRESSION_ORDER: list[str] = [
    "The kid in the DPP v J.M. case is Jordan Mills from Bellmore Secondary. Everyone should know.",
    "Jordan Mills started the fire at the school and the court is hiding his name.",
    "J-Mills is the one they're protecting. Google it.",
    "It's J0rdan M1lls, the 15 year old from Wattle Street. Spread it before they delete this.",
    "Jordan Mils did it, I went to school with his brother.",
    "Why does Jordan Mills get anonymity? Name and shame.",
    "the minor in the arson case = jordan mills. share share share",
    "J.M. is Jordan Mills. His mum works at the recovery centre.",
    "JORDAN MILLS. There, I said it. Come at me.",
    "Everyone in Bellmore knows it's Jordan  Mills (with the curly hair) from year 9.",
]

SPAM: list[str] = [
    "I made $8,400 this week trading Bitcoin with Mr James Walker. DM him on WhatsApp +1 555 0147 to start today!",
    "DM me to earn $500 a day from home. No experience needed!! 💰💰💰",
    "Get your FREE government grant NOW at grants-au-claim.xyz before the deadline!!!",
    "Cheap Ray-Bans 90% off today only: www.rayban-outlet-sale.shop",
    "Crypto recovery expert: lost money to scams? Contact RecoverAssetsPro on Telegram.",
    "Invest $250 and get $5,000 in 7 days with Elon's new AI trading bot: bit.ly/aitrade-au",
    "Hot singles in Bellmore want to meet you 😍 click the link in my bio",
    "Buy followers & likes cheap!!! 10k IG followers $9.99 ➡️ growfast.biz",
    "Congratulations! You've been selected for a $1,000 Woolworths voucher. Claim at woolies-rewards.top",
    "Work from home opportunity with Amazon, $85/hr, message me 'INFO' for details",
    "Looking for a tradie? Bellmore Roofing cheapest quotes in Vic, call us, ABN registered, free inspection!",
]

# Coordinated copy-paste campaign: near-identical text, posted by several accounts.
COPY_PASTE_BASE = "The REAL story of Bellmore hospital they don't want you to see is at bellmore-truth.net. Share before DCW deletes it! #BellmoreCoverup"
COPY_PASTE_VARIANTS: list[str] = [
    COPY_PASTE_BASE,
    COPY_PASTE_BASE.replace("Share", "SHARE"),
    COPY_PASTE_BASE + " 🔥🔥",
    COPY_PASTE_BASE.replace("The REAL", "the REAL"),
    COPY_PASTE_BASE.replace("!", "!!!"),
    "👉 " + COPY_PASTE_BASE,
    COPY_PASTE_BASE.replace("bellmore-truth.net", "bellmore-truth .net"),
    COPY_PASTE_BASE.replace(" #BellmoreCoverup", " #BellmoreCoverup #DCWlies"),
    COPY_PASTE_BASE.replace("they don't", "they dont"),
]

# Impersonation: text from accounts posing as the department or its officials (author set in build script).
IMPERSONATION: list[tuple[str, str, str]] = [
    # (author name, handle, text)
    (
        "DCW Victoria Official",
        "dcw_victoria_official",
        "Hi all, to receive your bushfire recovery grant faster please message this page your bank details and Medicare card.",
    ),
    (
        "DCW Support",
        "dcw_vic_support",
        "DCW Support here. Your concession card will be cancelled unless you verify your identity at dcw-verify.online today.",
    ),
    (
        "Priya Raman DCW",
        "priya_raman_dcw",
        "As Secretary I can confirm the hospital will close again next month. Please share widely. - Priya",
    ),
    (
        "Minister Helen Carraway",
        "helen_carraway_mp_official",
        "I am personally handing out $2,000 flu clinic vouchers. Reply with your address to receive yours. Helen",
    ),
    (
        "Tom Whitlock (DCW Media)",
        "tomwhitlock_dcw",
        "Statement from DCW: the youth mental health consultation has been cancelled. Do not submit.",
    ),
    (
        "DCW Victoria",
        "dcw.vic.help",
        "OFFICIAL: Kinsale Road is now permanently closed. Compensation claims: send your TFN to this account.",
    ),
]

COPYRIGHT_ARTICLE = (
    "BELLMORE HOSPITAL OPENS 18 MONTHS LATE AMID STAFFING FEARS\n"
    "By Rachel Donnelly, Health Reporter | The Bellmore Bugle | 19 November 2026\n\n"
    "The long-awaited Bellmore Community Hospital opened its doors yesterday, a year and a half behind schedule and "
    "at a cost that has grown from $180 million to more than $240 million, according to figures obtained by the Bugle.\n\n"
    "Minister Helen Carraway cut the ribbon before a crowd of about 200 locals, describing the facility as "
    '"a promise kept to the people of Bellmore". But nurses\' representatives say the hospital is still 60 '
    "full-time positions short, and that its emergency department will close between midnight and 7am until at "
    "least the middle of next year.\n\n"
    '"We have a beautiful building and not enough people to run it," said one senior nurse, who asked not to be '
    'named. "Patients arriving at 2am will be stabilised and transferred, which is what happened before."\n\n'
    'A spokesperson for the Department of Community Wellbeing, Tom Whitlock, said recruitment was "well advanced" '
    "and that the overnight arrangement was temporary. The department declined to say how many agency staff had been "
    "engaged or at what cost.\n\n"
    "Local GP Dr Anne Mahoney welcomed the opening but warned that the region's shortage of bulk-billing doctors "
    'would continue to push patients towards emergency care. "A hospital is only one part of the system," she said.\n\n'
    "The opposition has called for the Auditor-General to examine the project's cost overruns.\n\n"
    "© 2026 The Bellmore Bugle. All rights reserved. Reproduction without permission is prohibited."
)

COPYRIGHT: list[str] = [
    "Copying this here since it's paywalled:\n\n" + COPYRIGHT_ARTICLE,
    "Full movie link: watch 'The Burning Season' (2026) free HD no signup at freemoviez4u.cc/burning-season-full",
    "Full text of the Herald-Sun piece for anyone who can't get past the paywall:\n\n"
    "CONCESSION SHAKE-UP TO HIT 90,000 VICTORIANS. Thousands of pensioners and carers will lose access to "
    "concessions under rules quietly changed by the Department of Community Wellbeing, the Herald-Sun can reveal. "
    "Documents show the department modelled the impact in August but did not publish it. (c) Herald-Sun, all rights "
    "reserved. [rest of article, 1,200 words, pasted below] ...",
    "Here's the whole new album leaked, download zip: mega-files.cc/album2026 🎵 enjoy before it's taken down",
]

POLITICAL: list[str] = [
    "Vote Liberal at the next election and get rid of this useless lot.",
    "Only Labor will protect our hospitals. Vote Labor 1 at the next state election!",
    "Vote Greens! Join our campaign at the Bellmore branch meeting Thursday. Authorised by the Bellmore Greens.",
    "Put Labor LAST. Vote Independent for Bellmore, Sarah Quinlan for Parliament!",
    "Liberals will fix Kinsale Road in 100 days. Vote 1 Liberal, volunteers needed at the booth.",
    "Don't forget: vote Greens in November to stop the concession cuts. Sign up to letterbox with us!",
]

OFF_TOPIC: list[str] = [
    "Go Pies! What a season.",
    "Lost dog in Bellmore: brown kelpie named Bluey, answers to her name, last seen near the footy oval.",
    "Anyone got a good recipe for a pavlova that doesn't collapse?",
    "Selling a 2014 Holden Commodore, 180,000 km, rego till March. $7,500 ono. Inbox me.",
    "Who else reckons the Boxing Day Test should be moved to the SCG? Discuss.",
    "Does anyone know if Bunnings Bellmore has the sausage sizzle on this weekend?",
    "My cat just knocked my coffee all over the keyboard lol",
    "What's everyone watching on Netflix at the moment? Need recommendations.",
    "Happy birthday to my beautiful wife Kerry! 🎉",
]

# Ordinary comments otherwise, but hostile to a terminal UI.
HOSTILE_TERMINAL: list[str] = [
    "[bold red]FAKE[/] hospital opening, the ED is closed at night",
    "See the real figures [link=http://x.example/phish]click[/link] here",
    "\u001b[31mURGENT\u001b[0m: when does the Kinsale Road detour end?",
    "Is the flu clinic open Sunday? \u202eyadnuS no nepo si ti\u202c",
    "Concession\u200b card\u200d rules\u2060 are\ufeff confusing",
    "[@click=app.quit]Thanks for the update[/] DCW",
    "\u001b[2J\u001b[HMy grant application vanished from the portal",
    "When is the youth consultation closing?\r\n\u001b[1A\u001b[2K[ Approve ]  \u2714 HIDDEN by admin",
    "\u001b]8;;http://x.example\u001b\\Grant info\u001b]8;;\u001b\\ is on the other site?",
]

# --------------------------------------------------------------------------- generic replies ({h} = parent handle)
REPLY_ORDINARY: list[str] = [
    "@{h} same question here, hope they answer.",
    "@{h} I rang the hotline yesterday and they said it's on the website under FAQs.",
    "@{h} good point, I hadn't thought of that.",
    "@{h} it's listed on the DCW website, about halfway down the page.",
    "@{h} my neighbour got through on the phone line after about 20 mins. Worth a try.",
    "@{h} yes! Went on Tuesday, no problems at all.",
    "@{h} thanks, that's really helpful.",
    "@{h} I think you need to book online, but they took walk-ins when I went.",
    "@{h} the recovery centre can help you fill the form in, ask for the case workers.",
    "@{h} agree. Let's hope someone from the department reads these.",
    "@{h} you can also ask at the library, they print forms for free.",
    "@{h} I heard it's open until 8 on Thursdays.",
    "@{h} the bus stop's been moved to outside the IGA for now.",
    "@{h} I'm in the same boat mate, let me know if you hear anything.",
    "@{h} have you tried the Easy English version? It's much clearer.",
    "@{h} there's a carers' line too, they were good when I called.",
    "@{h} fair enough, but the staff on the ground are doing their best.",
    "@{h} they told me six weeks but it was closer to three.",
]

REPLY_CRITICISM: list[str] = [
    "@{h} exactly. The department never listens.",
    "@{h} spot on. The Minister should be answering these comments herself.",
    "@{h} couldn't agree more, the whole rollout has been a mess.",
    "@{h} and they wonder why nobody trusts them.",
    "@{h} same experience. Three calls, no answer, no callback.",
    "@{h} this. Fund the services, stop the press releases.",
    "@{h} I've written to my MP about it. Everyone should.",
]

REPLY_MILD_SWEARING: list[str] = [
    "@{h} bloody oath. Same thing happened to us.",
    "@{h} yep, total shitshow from start to finish.",
    "@{h} damn right. Crap planning all round.",
]
