"""The civic course's course template: the lecture series "How groups change states".

Drawn from the programme deck "Systemic development of communities": online lectures on
the forms of a group's influence on the state, then offline meetings that go from a local
problem to a change map and its action plan. Each lesson's content is short Markdown
that an operator may edit once the template becomes a course.
"""

from __future__ import annotations

from hromada.plugin_api import CourseTemplate, LessonTemplate, ModuleTemplate
from hromada.plugin_api import lazy_gettext as _l

STAGE_TYPE = "civic_course"

HOW_GROUPS_CHANGE_STATES = CourseTemplate(
    key="civic_course.how_groups_change_states",
    stage_type=STAGE_TYPE,
    title=_l("How groups change states"),
    description=_l(
        "Online lectures on how groups and communities bring about change in states, and the "
        "forms of their influence: movements, parties, NGOs and social business; then offline "
        "meetings that go from the problems of a town or region to a change map and an action "
        "plan to carry it out."
    ),
    delivery="mixed",
    modules=(
        ModuleTemplate(
            _l("Movements"),
            (
                LessonTemplate(
                    _l("What a movement is"),
                    _l(
                        "A movement is many people and groups pursuing a shared goal without a "
                        "single organisation over them. Its strength is its scale and its "
                        "legitimacy: it speaks for many. Its weakness is fragility: without "
                        "structure it can fade as quickly as it rose, and it is hard for it to "
                        "negotiate. Lasting movements are carried by networks of organised "
                        "communities that trust each other."
                    ),
                ),
                LessonTemplate(
                    _l("How movements win"),
                    _l(
                        "Movements succeed more often when they:\n\n"
                        "- stay united around a few clear demands;\n"
                        "- involve many different kinds of people;\n"
                        "- keep to nonviolent discipline;\n"
                        "- build coalitions across regions and themes;\n"
                        "- win over people inside the institutions that keep a regime in place;\n"
                        "- prepare for the moment when the regime weakens."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Parties"),
            (
                LessonTemplate(
                    _l("What parties do"),
                    _l(
                        "A political party gathers people with shared views to win power by "
                        "elections and to use it according to a programme. Parties bring many "
                        "interests together, choose candidates, form governments or an "
                        "opposition, and train politicians. Where elections are not free, "
                        "parties are often reduced to decoration or driven into exile."
                    ),
                ),
                LessonTemplate(
                    _l("Communities and parties"),
                    _l(
                        "A community can work with parties without becoming one: put its "
                        "demands to candidates, support a policy rather than a person, or see "
                        "its own members stand for election. Decide openly how close you want "
                        "to be to any party, and keep your independence written in your rules."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("NGOs"),
            (
                LessonTemplate(
                    _l("What NGOs do"),
                    _l(
                        "Non-governmental organisations give the energy of citizens a lasting "
                        "form. They provide services the state does not, defend interests and "
                        "rights, watch what the authorities do and bring expertise into public "
                        "debate. Their strength is continuity: they remember, they keep "
                        "contacts and they can raise and account for money."
                    ),
                ),
                LessonTemplate(
                    _l("Institutional development"),
                    _l(
                        "An organisation lasts when it does not rest on one person. It needs:\n\n"
                        "- written rules on who decides what;\n"
                        "- money from more than one source;\n"
                        "- open accounts that members and partners can check;\n"
                        "- people ready to take over each role."
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("Social business"),
            (
                LessonTemplate(
                    _l("Business with a social purpose"),
                    _l(
                        "A social business sells goods or services and spends its income on a "
                        "social goal: for example a repair workshop that trains young people, or "
                        "a café that hosts neighbourhood meetings. It gives a community money "
                        "of its own, and with it independence from grants and donors. Finding "
                        "such a model is hard and takes time, so start small and test it."
                    ),
                ),
                LessonTemplate(
                    _l("Is it for us?"),
                    _l(
                        "Before you start, answer together:\n\n"
                        "1. What value do we create, and for whom?\n"
                        "2. Who will pay, and why?\n"
                        "3. Which skills do we have, and which are missing?\n"
                        "4. What do we risk, and could the business expose our members?"
                    ),
                ),
            ),
        ),
        ModuleTemplate(
            _l("From a problem to a change map"),
            (
                LessonTemplate(
                    _l("Finding problems at the local level"),
                    _l(
                        "Change starts with a problem people recognise in their own street, "
                        "town or region. Walk the territory, map who lives and works there, and "
                        "listen to residents. Describe each problem precisely: who is affected, "
                        "how, how many people, since when, and who is responsible for solving "
                        "it. Choose the problems the community cares about and can influence."
                    ),
                ),
                LessonTemplate(
                    _l("Looking for tools"),
                    _l(
                        "For each problem, look for the tools that could solve it: a service "
                        "the community runs itself, a campaign, a petition, a coalition, a "
                        "legal action, an election. Learn how others solved a similar problem "
                        "elsewhere. Weigh each tool by its chances, its cost and the risk it "
                        "brings to members."
                    ),
                ),
                LessonTemplate(
                    _l("Policies at several levels"),
                    _l(
                        "Some problems are solved in a yard, others only by a law. Sort your "
                        "solutions by level: local, regional, national. For each, draft a "
                        "policy: the problem, the goal, the measure, who carries it out, what "
                        "it costs and how its result will be measured. A policy prepared today "
                        "is ready when the moment for change comes."
                    ),
                ),
                LessonTemplate(
                    _l("The change map"),
                    _l(
                        "A change map shows on one page how your community will change its "
                        "town or region:\n\n"
                        "- the problem and the change you want;\n"
                        "- the people involved: allies, opponents and those who decide;\n"
                        "- the policies at each level;\n"
                        "- the tools you will use;\n"
                        "- the milestones on the way."
                    ),
                ),
                LessonTemplate(
                    _l("The action plan"),
                    _l(
                        "The action plan turns the change map into work. List the steps, and "
                        "give each an owner, a date, the resources it needs and a sign that it "
                        "is done. Name the risks to people and how you reduce them. Plan how "
                        "you will involve other citizens. Review the plan at a strategic "
                        "session and change it when the situation changes."
                    ),
                ),
            ),
        ),
    ),
)

COURSE_TEMPLATES = (HOW_GROUPS_CHANGE_STATES,)
