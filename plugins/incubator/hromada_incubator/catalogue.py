"""The incubator's course templates: "Soft skills and emotional resilience" and "PRO community".

Drawn from the programme deck "Systemic development of communities", the column on
organising a community and the deck "Community is relationships". Each lesson's content
is short Markdown that an operator may edit once the template becomes a course.
"""

from __future__ import annotations

from hromada.plugin_api import CourseTemplate, LessonTemplate, ModuleTemplate
from hromada.plugin_api import lazy_gettext as _l

STAGE_TYPE = "incubator"

SOFT_SKILLS = CourseTemplate(
    key="incubator.soft_skills",
    stage_type=STAGE_TYPE,
    title=_l("Soft skills and emotional resilience"),
    description=_l(
        "An online course for community members and activists: communication, emotional "
        "intelligence, self-awareness, responsible leadership and managing the relationships "
        "in a community."
    ),
    delivery="online",
    modules=(
        ModuleTemplate(
            _l("Communication"),
            (
                LessonTemplate(
                    _l("Listening before answering"),
                    _l(
                        "Many quarrels in a community begin with someone who felt unheard. "
                        "Listening is a skill you can practise:\n\n"
                        "- Let the other person finish; do not prepare your reply while they speak.\n"
                        "- Say back in your own words what you understood, and ask whether you got it right.\n"
                        "- Ask an open question (\"what would help?\") before giving advice.\n\n"
                        "In your next conversation, try all three and notice what changes."
                    ),
                ),
                LessonTemplate(
                    _l("Saying things clearly"),
                    _l(
                        "A community lives on messages: announcements, requests, thanks. One who "
                        "cannot structure a thought loses people's attention. Before you write, "
                        "decide the one thing the reader must understand or do. Put it first, then "
                        "add what, when, where and whom to ask. Keep chats for exchange and move "
                        "decisions to a place where they are written down and easy to find."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Emotional intelligence"),
            (
                LessonTemplate(
                    _l("Naming emotions"),
                    _l(
                        "Emotions are information, not orders. When you name what you feel "
                        "(\"I am anxious because the meeting was moved again\"), you can choose "
                        "what to do with it instead of reacting. The same goes for others: "
                        "\"you seem tired, is that right?\" opens a conversation that an argument "
                        "would close. Practise once a day: stop, name the feeling, name its cause."
                    ),
                ),
                LessonTemplate(
                    _l("Emotions in a group"),
                    _l(
                        "Whoever starts a conversation or an event is responsible for its "
                        "emotional tone. Keep a balance between content and feelings: a meeting "
                        "that only solves tasks tires people, one that only shares feelings "
                        "achieves nothing. Watch for the signs of burnout in those who carry the "
                        "community: irritation, silence, missed meetings. Ask early and share "
                        "the load before someone leaves."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Self-awareness"),
            (
                LessonTemplate(
                    _l("Your values and goals"),
                    _l(
                        "A community grows when each member knows which of their own values and "
                        "goals it can serve. Values cannot be imposed: each person finds them in "
                        "themselves. Exercise:\n\n"
                        "1. Write down three things that matter most to you.\n"
                        "2. Write down three goals for the coming year.\n"
                        "3. Mark where they meet what your community does.\n\n"
                        "Share the third list with your group if you wish."
                    ),
                ),
                LessonTemplate(
                    _l("Knowing your limits"),
                    _l(
                        "Resilience is not endless strength but knowing how much you can give and "
                        "how you recover. Notice what drains you and what restores you. Decide in "
                        "advance how many hours a week you give to the community, and say no to "
                        "the rest without guilt. Agree with someone you trust on a signal that "
                        "tells them you need support."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Responsible leadership"),
            (
                LessonTemplate(
                    _l("Leading without owning"),
                    _l(
                        "\"It's mine, I'm in charge\" is the first mistake of many founders. An "
                        "initiator can only create a space: people build the community together. "
                        "A community that rests on one leader falls apart when that person is "
                        "tired, leaves or is in danger. A responsible leader develops leadership "
                        "in others and makes the community work by shared rules, not by their "
                        "presence."
                    ),
                ),
                LessonTemplate(
                    _l("Sharing responsibility"),
                    _l(
                        "Responsibility can be shared by situation: a working group that anyone "
                        "may join and leave, a moderator for each meeting, a regular reflection. "
                        "Hand over whole tasks with their result, not errands. Agree on who "
                        "decides what, and how: by consensus or by vote. Write these agreements "
                        "down so that newcomers can find them."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Relationship management"),
            (
                LessonTemplate(
                    _l("Building trust"),
                    _l(
                        "A community is relationships: people return where they feel safe and "
                        "trusted. Trust grows from small things:\n\n"
                        "- keep your promises, even the small ones;\n"
                        "- thank people by name for what they did;\n"
                        "- connect members who can help each other;\n"
                        "- keep what was said in confidence."
                    ),
                ),
                LessonTemplate(
                    _l("Working through conflict"),
                    _l(
                        "Conflicts are normal: a living community goes through several crises, "
                        "and each can make it stronger if it is handled. Pause before you react. "
                        "Let each side speak and be heard without interruption. Look for the "
                        "value that both sides share, then agree on a rule or a step that "
                        "protects it. Come back a few weeks later to check that it holds."
                    ),
                ),
            ),
        ),
    ),
)

PRO_COMMUNITY = CourseTemplate(
    key="incubator.pro_community",
    stage_type=STAGE_TYPE,
    title=_l("PRO community"),
    description=_l(
        "An online and offline course on what a community is, how it works and how it helps "
        "people grow and defend their interests; it helps participants revive or create a "
        "community."
    ),
    delivery="mixed",
    modules=(
        ModuleTemplate(
            _l("What a community is"),
            (
                LessonTemplate(
                    _l("What unites a community"),
                    _l(
                        "A community is an organised group of people around something they share. "
                        "What unites it can be:\n\n"
                        "- intentions (a shared goal);\n"
                        "- a place (a yard, a street, a school);\n"
                        "- interests (a running club);\n"
                        "- knowledge (people who exchange it);\n"
                        "- a problem (neighbours against a harmful building project);\n"
                        "- circumstances (veterans, a profession);\n"
                        "- actions (people who do something together).\n\n"
                        "Followers of a page or a chat that nobody facilitates are an audience, "
                        "not yet a community."
                    ),
                ),
                LessonTemplate(
                    _l("Scale and governance"),
                    _l(
                        "Communities differ in scale: a yard or a neighbourhood, a city, a "
                        "profession, a project, a virtual or a protest community. They also "
                        "differ in governance:\n\n"
                        "- **horizontal**: voluntary and self-organised; responsibility forms "
                        "inside, through dialogue and moderation;\n"
                        "- **vertical**: responsibility sits in a centre that is hard to change;\n"
                        "- **complex**: a working group runs the community, anyone may join or "
                        "leave it, and status comes from taking responsibility.\n\n"
                        "Which describes your community today, and which do you want?"
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Sense of community"),
            (
                LessonTemplate(
                    _l("The four factors"),
                    _l(
                        "The community psychologists McMillan and Chavis look at how a community "
                        "is experienced rather than at its structure. Four factors shape the "
                        "sense of community:\n\n"
                        "1. **Membership**: belonging, emotional safety, clear boundaries, a way "
                        "to contribute, shared symbols.\n"
                        "2. **Influence**: members can affect what happens in the community and "
                        "what it produces.\n"
                        "3. **Emotional connection**: a shared history and experience, ties "
                        "between members.\n"
                        "4. **Fulfilment of needs**: needs are met, shared values are upheld, "
                        "resources are exchanged."
                    ),
                ),
                LessonTemplate(
                    _l("Scoring your community"),
                    _l(
                        "Each member, alone, scores each of the four factors from 1 to 10, where "
                        "1 means the factor is not developed at all in your community and 10 "
                        "means it is fully realised. Then put the scores side by side, without "
                        "names if people prefer. Discuss the factor with the lowest scores and "
                        "the one where scores differ most, and choose one action for each. "
                        "The exercise starts a conversation; for a validated measurement, "
                        "researchers use the Sense of Community Index (SCI-2)."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Culture"),
            (
                LessonTemplate(
                    _l("Values, principles, rules"),
                    _l(
                        "A community's culture grows in three layers: values, then principles, "
                        "then rules. Values say what matters to us; principles say how we act "
                        "because of them; rules are the concrete agreements. For example:\n\n"
                        "- value: the safety of every member;\n"
                        "- principle: we protect each other's identity;\n"
                        "- rule: nobody's real name or photo is posted in a shared chat.\n\n"
                        "Write one such chain for your community."
                    ),
                ),
                LessonTemplate(
                    _l("Rules never stand above values"),
                    _l(
                        "Rules exist to protect and strengthen values, never to replace them. "
                        "Let every rule name the value it protects; a rule that protects nothing "
                        "can go. When keeping a rule would hurt the value behind it, that is a "
                        "signal to revisit the rule together. Review your rules at least once a "
                        "year, and whenever newcomers find them hard to understand."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Organising"),
            (
                LessonTemplate(
                    _l("Story of self, of us, of now"),
                    _l(
                        "Organising starts with a story that draws people in. First answer: what "
                        "is our goal, what problem do we solve, who is our community, how will we "
                        "act, and by when? Then tell three stories:\n\n"
                        "- **of self**: why you decided to act, which events and people led you here;\n"
                        "- **of us**: whom you unite, the values and experience you share;\n"
                        "- **of now**: what you want to achieve together and why you must act now."
                    ),
                ),
                LessonTemplate(
                    _l("Relationships and a leadership team"),
                    _l(
                        "After the story come relationships: meet people one to one, learn what "
                        "they care about and what they can bring. From these relationships a "
                        "leadership team forms, a few people who share responsibility. A "
                        "community carried by one person can fall apart; a team lets it survive "
                        "burnout, departures and pressure. A healthy team often holds only a "
                        "small active core of the whole community, and that is enough."
                    ),
                ),
                LessonTemplate(
                    _l("Strategy and next steps"),
                    _l(
                        "With a team you can choose a strategy: which goals first, and which "
                        "actions lead to them. Then build a system of growth: where newcomers "
                        "join, who greets them and who shows them how things work. Events and "
                        "campaigns put the strategy into action. After each one, agree on the "
                        "next steps, who does them and by when."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Reviving or creating a community"),
            (
                LessonTemplate(
                    _l("The mistakes to avoid"),
                    _l(
                        "- **\"It's mine, I'm in charge.\"** Even as the initiator, you can only "
                        "create a space; people create the community together.\n"
                        "- **\"Let's unite around my values.\"** Values cannot be imposed; each "
                        "person finds them in themselves.\n"
                        "- **\"Here are the goals, do what you can.\"** Goals that are not broken "
                        "into clear actions achieve nothing.\n"
                        "- **\"We work without rules.\"** Even with goals and a plan, you will not "
                        "go far without agreed rules of working together."
                    ),
                ),
                LessonTemplate(
                    _l("A first plan"),
                    _l(
                        "To revive a community, start with the people still active and ask what "
                        "they need from it. To create one, start with your story and a few "
                        "one-to-one conversations. Then:\n\n"
                        "1. Agree on shared values and a few rules that protect them.\n"
                        "2. Plan one small event with a visible result.\n"
                        "3. Decide who thanks people, shares the materials and collects feedback afterwards.\n"
                        "4. Decide where and how new people can join."
                    ),
                ),
            ),
        ),
    ),
)

COURSE_TEMPLATES = (SOFT_SKILLS, PRO_COMMUNITY)
