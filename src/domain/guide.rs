//! The words of a career-change guide, generated from a `Transition`. Every sentence here
//! must hold for every pair it can be produced for: wording varies only with the facts
//! (overlap, sector, pay direction, regulation), never at random.

use serde::Serialize;

use super::catalogue::{Activity, Catalogue, Importance};
use super::money::{pounds, pounds_range};
use super::text::{agree, count, in_sentence, join_list, sentence_case, with_article};
use super::transition::{
    Difficulty, HOURS_PER_WEEK, KEEPS_EARNINGS_PERCENT, PayDirection, Transition, ranked_from,
    ranked_into, taught_by_qualification,
};

/// How many "other moves" links each list shows.
const OTHER_LINKS: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    pub from_slug: String,
    pub to_slug: String,
    pub from_title: String,
    pub to_title: String,
    pub title: String,
    pub meta_description: String,
    pub question: String,
    pub facts: KeyFacts,
    pub intro: Vec<String>,
    pub why: Vec<Labelled>,
    pub realistic: Vec<String>,
    pub transfer_intro: Vec<String>,
    pub transferable: Vec<TransferItem>,
    pub build_intro: String,
    pub to_build: Vec<BuildItem>,
    pub score_explainer: String,
    pub salary_text: Vec<String>,
    pub salary_rows: Vec<SalaryRow>,
    pub salary_reviewed: String,
    pub day_from: Vec<Activity>,
    pub day_to: Vec<Activity>,
    pub day_from_heading: String,
    pub day_to_heading: String,
    pub interview: Vec<String>,
    pub interview_focus_heading: String,
    pub interview_focus: Vec<String>,
    pub faq: Vec<Faq>,
    pub other_from_heading: String,
    pub other_from: Vec<RouteLink>,
    pub other_into_heading: String,
    pub other_into: Vec<RouteLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFacts {
    pub overlap: String,
    pub difficulty: String,
    pub timeline: String,
    pub pay_change: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Labelled {
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransferItem {
    pub skill: String,
    pub as_from: String,
    pub as_to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BuildItem {
    pub skill: String,
    pub importance: &'static str,
    pub effort: String,
    pub usage: String,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SalaryRow {
    pub role: String,
    pub level: &'static str,
    pub min: i64,
    pub max: i64,
    pub range: String,
    /// The row that stands for "now" (source, mid level) or "next" (target, entry level).
    pub highlight: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteLink {
    pub href: String,
    pub label: String,
    pub overlap: u32,
    pub difficulty: &'static str,
}

/// Words a template sentence needs about one pair, worked out once.
struct Names {
    f: String,
    t: String,
    a_f: String,
    a_t: String,
}

pub fn write(catalogue: &Catalogue, tr: &Transition<'_>) -> Guide {
    let f = in_sentence(&tr.from.title);
    let t = in_sentence(&tr.to.title);
    let n = Names {
        a_f: with_article(&f),
        a_t: with_article(&t),
        f,
        t,
    };
    let timeline = format!(
        "{}–{} months",
        tr.timeline.min_months, tr.timeline.max_months
    );
    let facts = KeyFacts {
        overlap: format!("{}%", tr.score.percent),
        difficulty: tr.difficulty.label().to_owned(),
        timeline: timeline.clone(),
        pay_change: signed_percent(tr.salary.change_percent),
    };
    let title = format!("{} to {}", tr.from.title, tr.to.title);
    let meta_description = format!(
        "Moving from {} to {} in the UK: {} of {} skills carry over ({}% overlap), \
         {timeline} at about {HOURS_PER_WEEK} hours a week, and starting pay around {}.",
        n.f,
        n.t,
        tr.transferable.len(),
        tr.to.skills.len(),
        tr.score.percent,
        pounds(tr.salary.starting_midpoint),
    );
    Guide {
        from_slug: tr.from.slug.clone(),
        to_slug: tr.to.slug.clone(),
        from_title: tr.from.title.clone(),
        to_title: tr.to.title.clone(),
        question: format!("Can you move from {} to {}?", n.f, n.t),
        title,
        meta_description,
        facts,
        intro: intro(catalogue, tr, &n),
        why: why(tr, &n),
        realistic: realistic(tr, &n),
        transfer_intro: transfer_intro(tr, &n),
        transferable: tr
            .transferable
            .iter()
            .map(|s| TransferItem {
                skill: s.skill.name.clone(),
                as_from: format!("As {}, you {}.", n.a_f, s.as_from),
                as_to: format!("As {}, you would {}.", n.a_t, s.as_to),
            })
            .collect(),
        build_intro: build_intro(tr, &n),
        to_build: tr
            .to_build
            .iter()
            .map(|g| BuildItem {
                skill: g.skill.name.clone(),
                importance: g.importance.as_str(),
                effort: match &tr.to.qualification {
                    Some(q) if taught_by_qualification(g) => {
                        format!("Taught during the training for {}", q.name)
                    }
                    _ => format!(
                        "About {} at {HOURS_PER_WEEK} hours a week",
                        count(g.skill.learn_weeks as usize, "week", "weeks")
                    ),
                },
                usage: format!("As {}, you would {}.", n.a_t, g.usage),
                evidence: g.skill.evidence.clone(),
            })
            .collect(),
        score_explainer: format!(
            "Overlap score: {}%. Core skills count twice and supporting skills once. The {} \
             profile is worth {} and you already hold {} of them.",
            tr.score.percent,
            n.t,
            count(tr.score.total_weight as usize, "point", "points"),
            tr.score.matched_weight,
        ),
        salary_text: salary_text(tr, &n),
        salary_rows: salary_rows(tr),
        salary_reviewed: tr
            .to
            .salary_reviewed
            .max(tr.from.salary_reviewed)
            .format("%B %Y")
            .to_string(),
        day_from_heading: format!("Your day now, as {}", n.a_f),
        day_to_heading: format!("Your day as {}", n.a_t),
        day_from: tr.from.activities.clone(),
        day_to: tr.to.activities.clone(),
        interview: interview(tr, &n),
        interview_focus_heading: format!("What {} interviewers look for", n.t),
        interview_focus: tr.to.interviewers_look_for.clone(),
        faq: faq(tr, &n),
        other_from_heading: format!("Other career changes from {}", tr.from.title),
        other_from: ranked_from(catalogue, tr.from)
            .iter()
            .filter(|o| o.to.slug != tr.to.slug)
            .take(OTHER_LINKS)
            .map(|o| link(o, &o.to.title))
            .collect(),
        other_into_heading: format!("Other routes into {}", tr.to.title),
        other_into: ranked_into(catalogue, tr.to)
            .iter()
            .filter(|o| o.from.slug != tr.from.slug)
            .take(OTHER_LINKS)
            .map(|o| link(o, &o.from.title))
            .collect(),
    }
}

pub fn guide_path(from: &str, to: &str) -> String {
    format!("/careers/{from}-to-{to}")
}

fn link(tr: &Transition<'_>, label: &str) -> RouteLink {
    RouteLink {
        href: guide_path(&tr.from.slug, &tr.to.slug),
        label: label.to_owned(),
        overlap: tr.score.percent,
        difficulty: tr.difficulty.label(),
    }
}

fn signed_percent(p: i64) -> String {
    match p {
        0 => "0%".to_owned(),
        p if p > 0 => format!("+{p}%"),
        p => format!("−{}%", p.abs()),
    }
}

fn skill_names(tr: &Transition<'_>, limit: usize) -> Vec<String> {
    tr.transferable
        .iter()
        .take(limit)
        .map(|s| s.skill.name.clone())
        .collect()
}

fn intro(catalogue: &Catalogue, tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let shared = tr.transferable.len();
    let total = tr.to.skills.len();
    let first = if shared == 0 {
        format!(
            "None of the {total} skills on the {} profile appear in your work as {}, so this \
             move means building almost everything from the ground up.",
            n.t, n.a_f
        )
    } else {
        let mut names = skill_names(tr, 3);
        if shared > 3 {
            names.push(format!("{} more", shared - 3));
        }
        format!(
            "{shared} of the {total} skills on the {} profile already {} in your work as {}: {}.",
            n.t,
            agree(shared, "appears", "appear"),
            n.a_f,
            join_list(&names)
        )
    };
    let sector_name = |slug: &str| {
        catalogue
            .sector(slug)
            .map_or_else(|| slug.to_owned(), |s| s.name.to_lowercase())
    };
    let second = if tr.same_sector {
        format!(
            "Both roles sit in {}, so you already know how work is organised there and the \
             language people use. Say so in every application: it is context a newcomer lacks.",
            sector_name(&tr.to.sector)
        )
    } else {
        format!(
            "The move crosses from {} into {}. Besides the skills below, expect to learn the \
             sector's vocabulary and what counts as good work there.",
            sector_name(&tr.from.sector),
            sector_name(&tr.to.sector)
        )
    };
    let third = format!(
        "This guide sets out what carries over, what to learn and in what order, the likely \
         effect on your pay, and how to explain the change to an interviewer. At about \
         {HOURS_PER_WEEK} hours a week, plan on {}–{} months.",
        tr.timeline.min_months, tr.timeline.max_months
    );
    vec![first, second, third]
}

fn why(tr: &Transition<'_>, n: &Names) -> Vec<Labelled> {
    let s = &tr.salary;
    let later = s.to_mid.midpoint();
    let pay = if later > s.current_midpoint * 103 / 100 {
        "which is more than you earn now"
    } else if later * 103 / 100 < s.current_midpoint {
        "which is still below what you earn now, so pay is rarely the reason for this move"
    } else {
        "which is close to what you earn now"
    };
    vec![
        Labelled {
            label: format!("What draws people to {} work", n.t),
            text: tr.to.appeal.clone(),
        },
        Labelled {
            label: format!("What you may be glad to leave behind as {}", n.a_f),
            text: tr.from.challenges.clone(),
        },
        Labelled {
            label: "What the new role asks of you".to_owned(),
            text: tr.to.challenges.clone(),
        },
        Labelled {
            label: "Pay in the longer run".to_owned(),
            text: format!(
                "At mid level, {} earns {}, {pay}. You earn around {} at mid level as {}.",
                n.a_t,
                pounds_range(s.to_mid.min, s.to_mid.max),
                pounds_range(s.from_mid.min, s.from_mid.max),
                n.a_f,
            ),
        },
    ]
}

fn realistic(tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let mut out = Vec::new();
    let verdict = match tr.difficulty {
        Difficulty::Close => format!(
            "This is a close move. Most of what {} employers screen for is already part of your \
             work, so your effort goes into proving it rather than learning from scratch.",
            n.t
        ),
        Difficulty::Moderate => format!(
            "This is a moderate move. You bring a real foundation, but there are gaps that \
             {} interviewers will probe, so plan on steady study alongside your current job.",
            n.t
        ),
        Difficulty::Stretching => "This is a stretching move. Expect months of deliberate study, \
             and at least one piece of work you can show, before applications start to turn \
             into interviews."
            .to_owned(),
        Difficulty::FreshStart => format!(
            "This is close to a fresh start. Treat it as retraining: the {} profile has little \
             in common with yours, so every core skill has to be learnt and then shown.",
            n.t
        ),
    };
    out.push(verdict);
    let tl = &tr.timeline;
    let regulated = tr.to.qualification.is_some();
    let gaps = tr
        .to_build
        .iter()
        .filter(|g| !(regulated && taught_by_qualification(g)))
        .count();
    out.push(match (gaps, regulated) {
        (0, false) => format!(
            "On paper there is nothing new to learn, so the time goes on rewriting your CV and \
             applying: allow {}–{} months.",
            tl.min_months, tl.max_months
        ),
        (0, true) => format!(
            "Everything you still need is taught during the qualification, so plan on {}–{} \
             months in all.",
            tl.min_months, tl.max_months
        ),
        (n, false) => format!(
            "At about {HOURS_PER_WEEK} hours a week, the {} below {} roughly {} to bring to a \
             junior level. Add two to four months for applications and interviews, plus slack \
             for weeks when study slips, and a realistic range is {}–{} months.",
            count(n, "skill", "skills"),
            agree(n, "takes", "take"),
            count(tl.study_weeks as usize, "week", "weeks"),
            tl.min_months,
            tl.max_months
        ),
        (n, true) => format!(
            "The qualification teaches most of the field's own skills. The {} below that it \
             does not cover {} roughly {} at about {HOURS_PER_WEEK} hours a week. All in, a \
             realistic range is {}–{} months.",
            count(n, "skill", "skills"),
            agree(n, "takes", "take"),
            count(tl.study_weeks as usize, "week", "weeks"),
            tl.min_months,
            tl.max_months
        ),
    });
    if let Some(q) = &tr.to.qualification {
        out.push(format!(
            "{} is a regulated role in the UK: you need {}. {} Typical cost: {}. That sets the \
             timeline at {} or more, whatever you bring. A 6–12 month plan cannot make you {} \
             on its own; it can get you ready to apply for the training.",
            sentence_case(&n.t),
            q.name,
            q.route.trim_end(),
            q.cost.trim_end_matches('.'),
            count(q.months as usize, "month", "months"),
            n.a_t,
        ));
    }
    out
}

fn transfer_intro(tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let shared = tr.transferable.len();
    if shared == 0 {
        return vec![
            format!(
                "No skill on the {} list appears on the {} list, so nothing transfers directly.",
                n.t, n.f
            ),
            "What does help is less visible: you already hold down a job, meet deadlines and \
             work with other people, and you know how to learn while employed. Interviewers \
             will want new skills proven with real work, so the list below matters more than \
             usual."
                .to_owned(),
        ];
    }
    vec![format!(
        "{} {} directly. For each one, here is how you use it now and how {} would use it.",
        count(shared, "skill", "skills"),
        agree(shared, "transfers", "transfer"),
        n.a_t
    )]
}

fn build_intro(tr: &Transition<'_>, n: &Names) -> String {
    let total = tr.to_build.len();
    if total == 0 {
        return format!(
            "Every skill on the {} profile is already on yours. The work left is evidence: make \
             sure your CV names each one with an example of it in use.",
            n.t
        );
    }
    let core = tr
        .to_build
        .iter()
        .filter(|g| g.importance == Importance::Core)
        .count();
    let supporting = total - core;
    let split = match (core, supporting) {
        (_, 0) => format!(
            "{}, which employers screen for",
            if total == 1 { "it is core" } else { "all core" }
        ),
        (0, _) => format!(
            "{}, which you can keep growing once you are in the job",
            if total == 1 {
                "it is supporting"
            } else {
                "all supporting"
            }
        ),
        (c, s) => format!(
            "{c} core, which employers screen for, and {s} supporting, which you can keep \
             growing once you are in the job. Core skills come first"
        ),
    };
    format!(
        "There {} to build: {split}.",
        agree(total, "is 1 skill", &format!("are {total} skills"))
    )
}

fn salary_text(tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let s = &tr.salary;
    let start = format!(
        "Entry-level {} roles pay {}, a midpoint of {}. As {} at mid level you earn around {}, \
         a midpoint of {}.",
        n.t,
        pounds_range(s.to_entry.min, s.to_entry.max),
        pounds(s.starting_midpoint),
        n.a_f,
        pounds_range(s.from_mid.min, s.from_mid.max),
        pounds(s.current_midpoint),
    );
    let diff = pounds(s.change.abs());
    let pct = s.change_percent.abs();
    let direction = match s.direction {
        PayDirection::Rise => format!(
            "That is a pay rise from the start: about {diff} ({pct}%) more a year, even as a \
             newcomer."
        ),
        PayDirection::Similar => {
            format!("Starting pay is close to what you earn now, within {diff} a year either way.")
        }
        PayDirection::Cut => format!(
            "Expect a pay cut at first: about {diff} ({pct}%) less a year while you build \
             experience in the new role."
        ),
    };
    let mut out = vec![start, direction];
    if s.direction != PayDirection::Rise {
        out.push(if s.keeps_three_quarters {
            format!(
                "The move still keeps at least {KEEPS_EARNINGS_PERCENT}% of your current earnings."
            )
        } else {
            format!(
                "The move keeps less than {KEEPS_EARNINGS_PERCENT}% of your current earnings, \
                 so work out what you can live on before you commit."
            )
        });
    }
    out.push(format!(
        "Longer term, {} at mid level earns {} and at senior level {}.",
        n.a_t,
        pounds_range(s.to_mid.min, s.to_mid.max),
        pounds_range(s.to_senior.min, s.to_senior.max),
    ));
    out
}

fn salary_rows(tr: &Transition<'_>) -> Vec<SalaryRow> {
    let mut rows = Vec::new();
    for (role, highlight_level) in [(tr.from, "Mid"), (tr.to, "Entry")] {
        let s = role.salary;
        for (level, band) in [("Entry", s.entry), ("Mid", s.mid), ("Senior", s.senior)] {
            rows.push(SalaryRow {
                role: role.title.clone(),
                level,
                min: band.min,
                max: band.max,
                range: pounds_range(band.min, band.max),
                highlight: level == highlight_level,
            });
        }
    }
    rows
}

fn interview(tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let mut out = vec![format!(
        "Every career changer meets two questions: why leave {} work, and why become {}? Answer \
         both by looking forward. Name the part of the new work you want more of, and show that you \
         have already started doing it.",
        n.f, n.a_t
    )];
    match tr.transferable.first() {
        Some(first) => {
            out.push(format!(
                "Your strongest material is the overlap. Prepare a short example for {}: the \
                 situation, what you did, and what changed because of it.",
                join_list(&skill_names(tr, 3))
            ));
            out.push(format!(
                "An opening that works: “As {} I {}. That is a daily part of being {}, and it is \
                 the part of my job I want to do more of.”",
                n.a_f, first.as_from, n.a_t
            ));
        }
        None => {
            if let Some(gap) = tr.to_build.first() {
                out.push(format!(
                    "With no direct overlap, your examples come from what you have built while \
                     learning. Bring one piece of work that shows {} and talk through the \
                     choices you made and what you would do differently.",
                    gap.skill.name
                ));
            }
        }
    }
    out
}

fn faq(tr: &Transition<'_>, n: &Names) -> Vec<Faq> {
    let tl = &tr.timeline;
    let s = &tr.salary;
    let mut out = Vec::new();
    let can = match (&tr.to.qualification, tr.difficulty) {
        (Some(q), _) => format!(
            "Yes, but only through {}, which usually takes {}. Your skills from {} work help \
             with the course, not with skipping it.",
            q.name,
            count(q.months as usize, "month", "months"),
            n.f
        ),
        (None, Difficulty::Close | Difficulty::Moderate) => format!(
            "Yes. It is a {} with a {}% skill overlap, and most people in your position need \
             {}–{} months at about {HOURS_PER_WEEK} hours a week.",
            tr.difficulty.word(),
            tr.score.percent,
            tl.min_months,
            tl.max_months
        ),
        (None, _) => format!(
            "Yes, but it is a {} with a {}% skill overlap. Expect {}–{} months at about \
             {HOURS_PER_WEEK} hours a week, most of it spent learning.",
            tr.difficulty.word(),
            tr.score.percent,
            tl.min_months,
            tl.max_months
        ),
    };
    out.push(Faq {
        question: format!("Can I realistically move from {} to {}?", n.f, n.t),
        answer: can,
    });
    out.push(Faq {
        question: format!(
            "How long does it take to become {} after working as {}?",
            n.a_t, n.a_f
        ),
        answer: match tl.qualification_months {
            Some(q) => format!(
                "Plan on {}–{} months. The qualification alone takes about {}, so the timeline \
                 cannot be shorter than that.",
                tl.min_months,
                tl.max_months,
                count(q as usize, "month", "months")
            ),
            None => format!(
                "Plan on {}–{} months at about {HOURS_PER_WEEK} hours a week: roughly {} of \
                 study for the gaps, then applications and interviews.",
                tl.min_months,
                tl.max_months,
                count(tl.study_weeks as usize, "week", "weeks")
            ),
        },
    });
    let (question, answer) = match s.direction {
        PayDirection::Rise => (
            format!("Will I earn more as {}?", n.a_t),
            format!(
                "Probably. Entry-level pay averages about {}, around {} more than the {} \
                 midpoint for {} at mid level.",
                pounds(s.starting_midpoint),
                pounds(s.change),
                pounds(s.current_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Similar => (
            format!("Will my pay change if I become {}?", n.a_t),
            format!(
                "Not by much at first. Entry-level pay averages about {}, against {} for {} at \
                 mid level.",
                pounds(s.starting_midpoint),
                pounds(s.current_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Cut => (
            format!("Will I need to take a pay cut to become {}?", n.a_t),
            format!(
                "Usually, at first. Entry-level pay averages about {}, which is {} ({}%) less \
                 than the {} midpoint for {} at mid level. At mid level, {} earns {}.",
                pounds(s.starting_midpoint),
                pounds(s.change.abs()),
                s.change_percent.abs(),
                pounds(s.current_midpoint),
                n.a_f,
                n.a_t,
                pounds_range(s.to_mid.min, s.to_mid.max)
            ),
        ),
    };
    out.push(Faq { question, answer });
    out.push(Faq {
        question: format!("Do I need a qualification to become {}?", n.a_t),
        answer: match &tr.to.qualification {
            Some(q) => format!(
                "Yes: {}. {} Typical cost: {}.",
                q.name,
                q.route.trim_end(),
                q.cost.trim_end_matches('.')
            ),
            None => format!(
                "No formal qualification is required. Employers hire on evidence of the core \
                 skills. {}",
                tr.to.routes_in.first().cloned().unwrap_or_default()
            )
            .trim_end()
            .to_owned(),
        },
    });
    out.push(Faq {
        question: "What should I learn first?".to_owned(),
        answer: match (&tr.to.qualification, tr.to_build.first()) {
            (Some(q), _) => format!(
                "Start with the route to {}: check the entry requirements of the courses or \
                 schemes you are considering and what they ask you to show at application. {}",
                q.name,
                q.route.trim_end()
            ),
            (None, Some(gap)) => format!(
                "Start with {}, a {} skill for {} that takes about {} at {HOURS_PER_WEEK} hours \
                 a week. A good way to show it: {}",
                gap.skill.name,
                gap.importance.as_str(),
                n.t,
                count(gap.skill.learn_weeks as usize, "week", "weeks"),
                lower_first(&gap.skill.evidence)
            ),
            (None, None) => {
                "Nothing new on paper. Put your effort into evidence instead: a CV and \
                     examples that show each skill in use."
                    .to_owned()
            }
        },
    });
    out.push(Faq {
        question: format!("Can I prepare while still working as {}?", n.a_f),
        answer: match &tr.to.qualification {
            Some(q) => format!(
                "You can start on the skills and the application while employed. Whether you \
                 can keep working through {} depends on the route you choose. {}",
                q.name,
                q.route.trim_end()
            ),
            None => format!(
                "Yes, and most people should. The estimates here assume about {HOURS_PER_WEEK} \
                 hours a week alongside a job, which keeps your income and avoids a gap on \
                 your CV."
            ),
        },
    });
    out
}

/// Lowercases the first letter of an authored sentence used after a colon, unless it
/// starts with an acronym or a proper noun written in capitals ("AWS", "A public …" → "a").
fn lower_first(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    let keep = first_word.len() > 1 && first_word.chars().skip(1).any(|c| c.is_uppercase());
    if keep || first_word == "I" {
        return s.to_owned();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::fixtures::{catalogue, role};
    use crate::domain::transition::analyse;
    use Importance::*;

    fn sample() -> Catalogue {
        catalogue(vec![
            role(
                "cloud-engineer",
                "Cloud Engineer",
                "technology",
                [30_000, 42_000, 50_000, 75_000, 75_000, 110_000],
                &[
                    ("a", Core),
                    ("b", Core),
                    ("c", Core),
                    ("d", Supporting),
                    ("e", Supporting),
                    ("f", Supporting),
                ],
            ),
            role(
                "backend-developer",
                "Backend Developer",
                "technology",
                [26_000, 38_000, 42_000, 65_000, 70_000, 110_000],
                &[
                    ("a", Core),
                    ("g", Core),
                    ("h", Core),
                    ("d", Supporting),
                    ("i", Supporting),
                    ("j", Supporting),
                ],
            ),
            role(
                "it-support",
                "IT Support Technician",
                "technology",
                [22_000, 26_000, 27_000, 32_000, 33_000, 40_000],
                &[
                    ("k", Core),
                    ("l", Core),
                    ("a", Core),
                    ("h", Supporting),
                    ("i", Supporting),
                    ("j", Supporting),
                ],
            ),
            role(
                "nurse",
                "Registered Nurse",
                "healthcare",
                [29_000, 36_000, 37_000, 45_000, 46_000, 60_000],
                &[
                    ("k", Core),
                    ("l", Core),
                    ("j", Core),
                    ("h", Supporting),
                    ("i", Supporting),
                    ("g", Supporting),
                ],
            ),
        ])
    }

    fn guide(cat: &Catalogue, from: &str, to: &str) -> Guide {
        let tr = analyse(cat, cat.role(from).unwrap(), cat.role(to).unwrap());
        write(cat, &tr)
    }

    fn all_text(g: &Guide) -> String {
        serde_json::to_string(g).unwrap()
    }

    #[test]
    fn one_shared_skill_reads_in_the_singular() {
        let cat = sample();
        let g = guide(&cat, "it-support", "cloud-engineer");
        let text = all_text(&g);
        assert!(
            text.contains("1 of the 6 skills on the cloud engineer profile already appears"),
            "{text}"
        );
        assert!(text.contains("1 skill transfers directly"));
        assert!(text.contains("As an IT support technician, you use a at work."));
        assert!(!text.contains("1 skills") && !text.contains("1 skill transfer "));
    }

    #[test]
    fn nothing_shared_gets_an_honest_paragraph() {
        let cat = sample();
        let g = guide(&cat, "cloud-engineer", "nurse");
        assert!(g.transferable.is_empty());
        let text = all_text(&g);
        assert!(text.contains("nothing transfers directly"));
        assert!(text.contains("crosses from technology into health"));
        assert!(!text.contains("0 skills transfer"));
        assert!(text.contains("fresh start"));
    }

    #[test]
    fn pay_rise_never_mentions_a_cut() {
        let cat = sample();
        let g = guide(&cat, "it-support", "cloud-engineer");
        let text = all_text(&g).to_lowercase();
        assert!(text.contains("pay rise"));
        assert!(!text.contains("pay cut"));
        assert!(
            g.faq
                .iter()
                .any(|f| f.question == "Will I earn more as a cloud engineer?")
        );
        assert!(g.facts.pay_change.starts_with('+'));

        let cut = all_text(&guide(&cat, "cloud-engineer", "backend-developer")).to_lowercase();
        assert!(cut.contains("pay cut"));
        assert!(cut.contains("less than 75%"));
    }

    #[test]
    fn same_sector_and_cross_sector_read_differently() {
        let cat = sample();
        let same = all_text(&guide(&cat, "cloud-engineer", "backend-developer"));
        assert!(same.contains("Both roles sit in technology"));
        let cross = all_text(&guide(&cat, "nurse", "backend-developer"));
        assert!(cross.contains("crosses from health into technology"));
    }

    #[test]
    fn counts_in_summaries_match_the_lists() {
        let cat = sample();
        for from in &cat.roles {
            for to in &cat.roles {
                if from.slug == to.slug {
                    continue;
                }
                let g = guide(&cat, &from.slug, &to.slug);
                let shared = g.transferable.len();
                if shared > 0 {
                    assert!(g.intro[0].starts_with(&format!("{shared} of the")));
                    assert!(g.transfer_intro[0].starts_with(&count(shared, "skill", "skills")));
                }
                assert!(g.build_intro.contains(&match g.to_build.len() {
                    0 => "Every skill".to_owned(),
                    1 => "is 1 skill".to_owned(),
                    m => format!("are {m} skills"),
                }));
                assert_eq!(g.salary_rows.len(), 6);
                assert!(!all_text(&g).contains("NaN"));
            }
        }
    }

    #[test]
    fn evidence_after_a_colon_keeps_acronyms() {
        assert_eq!(lower_first("A public repository."), "a public repository.");
        assert_eq!(lower_first("AWS certificate."), "AWS certificate.");
        assert_eq!(lower_first("CompTIA Network+."), "CompTIA Network+.");
    }
}
