"""The accelerator's course templates: the facilitators' school and "Politics for communities".

Drawn from the programme deck "Systemic development of communities", the consultation
offer on community management and the deck "Community is relationships". Each lesson's
content is short Markdown that an operator may edit once the template becomes a course.
"""

from __future__ import annotations

from hromada.plugin_api import CourseTemplate, LessonTemplate, ModuleTemplate
from hromada.plugin_api import lazy_gettext as _l

STAGE_TYPE = "accelerator"

FACILITATORS_SCHOOL = CourseTemplate(
    key="accelerator.facilitators_school",
    stage_type=STAGE_TYPE,
    title=_l("School of community-development facilitators"),
    description=_l(
        "Teaches people in communities to facilitate how small groups hold together, support "
        "each other and grow: values, vision and mission, strategic goals and the operational "
        "plan, the coordination meeting and the roles in a community."
    ),
    modules=(
        ModuleTemplate(
            _l("The facilitator's role"),
            (
                LessonTemplate(
                    _l("What a facilitator does"),
                    _l(
                        "A facilitator helps a group think and decide together. They take care of "
                        "the process, not the content: the answers belong to the community. A "
                        "facilitator stays neutral about the outcome, makes sure every voice is "
                        "heard and keeps the group to its purpose and time. In this programme, "
                        "facilitators help their community find its values, vision, mission and "
                        "strategic goals, and prepare its coordination meeting."
                    ),
                ),
                LessonTemplate(
                    _l("Preparing and holding a session"),
                    _l(
                        "- Agree on the purpose: what must exist at the end of the session?\n"
                        "- Write an agenda with times, and send it in advance.\n"
                        "- Open with agreements: confidentiality, phones, how decisions are made.\n"
                        "- Use rounds so that everyone speaks, not only the loudest.\n"
                        "- Keep notes where everyone can see them.\n"
                        "- Close with decisions, owners and dates, then a short reflection."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Values, vision and mission"),
            (
                LessonTemplate(
                    _l("Finding shared values"),
                    _l(
                        "Values cannot be imposed: each person finds them in themselves, so start "
                        "with individuals. Ask everyone to write their own values alone, then "
                        "compare them in pairs, then group similar ones together on a wall. Name "
                        "three to five values the whole group recognises. Test each with a "
                        "story: when did we act on this value, and when did we fail it?"
                    ),
                ),
                LessonTemplate(
                    _l("Vision and mission"),
                    _l(
                        "A vision describes the future you want to see in your street, town or "
                        "country. A mission says what your community does to move towards it, "
                        "for whom and how. Keep each to one or two sentences that a newcomer "
                        "understands at once. Check both against your values: a mission that "
                        "contradicts a value will split the group sooner or later."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Strategic goals and the operational plan"),
            (
                LessonTemplate(
                    _l("From vision to strategic goals"),
                    _l(
                        "Strategic goals are the three to five changes the community commits to "
                        "over the next one to three years on the way to its vision. Each goal "
                        "should be concrete enough to know when it is reached. For each, estimate "
                        "the resources it needs: time, money and people. A goal nobody has the "
                        "resources for is a wish, not a goal."
                    ),
                ),
                LessonTemplate(
                    _l("The operational plan"),
                    _l(
                        "Goals that are not broken into actions achieve nothing. For every "
                        "strategic goal, list the actions and for each one write:\n\n"
                        "- what exactly is done;\n"
                        "- who is responsible;\n"
                        "- by when;\n"
                        "- what resources it needs;\n"
                        "- how you will know it is done.\n\n"
                        "Review the plan together every month and change it openly."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Running a coordination meeting"),
            (
                LessonTemplate(
                    _l("Before the meeting"),
                    _l(
                        "The coordination meeting produces the community's operational plan and "
                        "the distribution of roles. Agree on who attends, and choose a place "
                        "and time that are safe for everyone; share them only with confirmed "
                        "participants. Plan the budget, the facilitator and the agenda. Ask "
                        "participants to bring their thoughts on the strategic goals, so that "
                        "the time together goes to decisions."
                    ),
                ),
                LessonTemplate(
                    _l("During and after the meeting"),
                    _l(
                        "1. Check in: how everyone arrives, and what they expect.\n"
                        "2. Recall the values and strategic goals.\n"
                        "3. Plan the actions for each goal.\n"
                        "4. Distribute roles: each action has one owner.\n"
                        "5. Decide how you decide: by consensus or by vote, agreed in advance.\n"
                        "6. Afterwards, send the plan to participants, thank them, and set the "
                        "date of the first review."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Roles in a community"),
            (
                LessonTemplate(
                    _l("Social competences"),
                    _l(
                        "Three social competences keep a community going:\n\n"
                        "- the **ideologist** thinks: gives meaning, ideas and direction;\n"
                        "- the **communicator** exchanges: connects people and carries news;\n"
                        "- the **organiser** takes responsibility: turns decisions into action.\n\n"
                        "One person may have several, but a team that lacks one shows it: plans "
                        "without meaning, ideas nobody hears, or talk without results."
                    ),
                ),
                LessonTemplate(
                    _l("Emotional roles"),
                    _l(
                        "Besides tasks, members play emotional roles: the mentor teaches, the "
                        "partner encourages, the storyteller spreads the community's story, the "
                        "historian keeps its history and traditions, the hero is an example, the "
                        "celebrity is a symbol, the provider takes care of others, the greeter "
                        "welcomes newcomers, the guide shows them the culture, the catalyst "
                        "brings new people and ideas, the ambassador represents the community "
                        "outside, and the scout recruits. Map who plays which role in your "
                        "community and which roles are empty."
                    ),
                ),
            ),
        ),
    ),
)

POLITICS_FOR_COMMUNITIES = CourseTemplate(
    key="accelerator.politics_for_communities",
    stage_type=STAGE_TYPE,
    title=_l("Politics for communities"),
    description=_l(
        "A course on civic activity and its basic concepts: human rights, the state, civic "
        "activity, gender equality, political ideologies, forms of association and tools of "
        "influence."
    ),
    modules=(
        ModuleTemplate(
            _l("Human rights"),
            (
                LessonTemplate(
                    _l("What human rights are"),
                    _l(
                        "Human rights belong to every person because they are human; no state "
                        "grants them and none may take them away. The Universal Declaration of "
                        "Human Rights of 1948 names them: among others, freedom of expression, of "
                        "peaceful assembly and of association, and the right to a fair trial. "
                        "States have three duties: to respect these rights, to protect them from "
                        "others and to make them real."
                    ),
                ),
                LessonTemplate(
                    _l("Recording violations safely"),
                    _l(
                        "When rights are violated, careful records help later. Write down what "
                        "happened, when, where, and who was involved, keeping facts apart from "
                        "opinions. Never put a witness at risk: record only what is needed, "
                        "store it encrypted and away from the people it describes. Pass records "
                        "to a human-rights organisation you trust rather than publishing them "
                        "yourself."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("The state"),
            (
                LessonTemplate(
                    _l("What the state is"),
                    _l(
                        "A state is a public authority over a territory and its people. In a "
                        "democracy its power is divided between the legislature that makes "
                        "laws, the executive that carries them out and independent courts that "
                        "judge. Power also works at several levels: national, regional and "
                        "local self-government. Knowing who decides what tells a community "
                        "where to take its question."
                    ),
                ),
                LessonTemplate(
                    _l("Holding power to account"),
                    _l(
                        "Power stays accountable through free elections, a free press, "
                        "independent courts and an active civil society. Where these are "
                        "destroyed, power answers to nobody, and communities are among the few "
                        "places where people still trust each other and act together. That "
                        "trust is the ground on which accountable institutions can be rebuilt."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Civic activity"),
            (
                LessonTemplate(
                    _l("Forms of civic activity"),
                    _l(
                        "Civic activity is what citizens do together for the common good, "
                        "beyond their private lives:\n\n"
                        "- volunteering and mutual aid;\n"
                        "- petitions and public appeals;\n"
                        "- watching what the authorities do;\n"
                        "- campaigns and public events;\n"
                        "- peaceful assembly."
                    ),
                ),
                LessonTemplate(
                    _l("From a private concern to a public issue"),
                    _l(
                        "A problem becomes a public issue when many people share it and say so. "
                        "Gather facts: who is affected, how, and how many. Find out who has the "
                        "power to solve it. Propose a solution rather than only a complaint, and "
                        "look for others who care about the same thing."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Gender equality"),
            (
                LessonTemplate(
                    _l("Equality in the community"),
                    _l(
                        "Gender equality means equal rights, responsibilities and opportunities "
                        "for women and men and people of every gender. Look at your own "
                        "community: who speaks at meetings, who decides, and who does the "
                        "invisible work of notes, food and care? Inequality inside a community "
                        "weakens it, because it loses the ideas and energy of those who are not "
                        "heard."
                    ),
                ),
                LessonTemplate(
                    _l("Practices of equality"),
                    _l(
                        "- Rotate roles: chairing, notes and speaking in public.\n"
                        "- Use rounds so that everyone speaks.\n"
                        "- Choose meeting times that suit people who care for others.\n"
                        "- Agree that harassment is not tolerated, and name a safe person to tell."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Political ideologies"),
            (
                LessonTemplate(
                    _l("The main ideologies"),
                    _l(
                        "An ideology is a coherent set of ideas about how society should be "
                        "organised:\n\n"
                        "- **liberalism** puts individual freedom and rights first;\n"
                        "- **conservatism** values tradition, order and gradual change;\n"
                        "- **socialism and social democracy** seek equality and social protection;\n"
                        "- **nationalism** sees the nation as the main community;\n"
                        "- **environmentalism** puts the protection of nature at the centre.\n\n"
                        "Apart from these, regimes differ: democratic or authoritarian."
                    ),
                ),
                LessonTemplate(
                    _l("Different views in one community"),
                    _l(
                        "Members of one community often hold different political views. That "
                        "is a strength when the shared values and goals are clear and the rules "
                        "of discussion are respected. Discuss where your values sit among the "
                        "ideologies, without asking anyone to change their views. What unites "
                        "you should be written down; what divides you can be left to each person."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Forms of association"),
            (
                LessonTemplate(
                    _l("Formal and informal associations"),
                    _l(
                        "People associate in many forms: an informal initiative group, a "
                        "registered association or NGO, a foundation, a trade union, a "
                        "cooperative or social business, a political party, a movement or a "
                        "coalition of several groups. Registration gives a bank account, "
                        "contracts and visibility, but it brings reporting and exposure. Where "
                        "registering at home is dangerous, some communities register abroad."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Tools of influence"),
            (
                LessonTemplate(
                    _l("The tools"),
                    _l(
                        "- advocacy: meeting and persuading those who decide;\n"
                        "- petitions and appeals;\n"
                        "- media work and campaigns;\n"
                        "- coalitions with other groups;\n"
                        "- monitoring and public reports;\n"
                        "- strategic litigation;\n"
                        "- elections;\n"
                        "- peaceful protest and boycotts."
                    ),
                ),
                LessonTemplate(
                    _l("Choosing a tool"),
                    _l(
                        "Choose a tool by asking four questions. Who decides on our issue? What "
                        "do they care about? What can we bring: people, facts, attention? What "
                        "risk does each tool bring to our members? Start with the least risky "
                        "tool that can work, and keep the safety of people above any result."
                    ),
                ),
            ),
        ),
    ),
)

COURSE_TEMPLATES = (FACILITATORS_SCHOOL, POLITICS_FOR_COMMUNITIES)
