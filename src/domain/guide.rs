//! The words of a career-change guide, generated from a `Transition`. Every sentence here
//! must hold for every pair it can be produced for: wording varies only with the facts
//! (overlap, sector, pay direction, regulation), never at random.

use serde::Serialize;

use super::catalogue::{Activity, Catalogue, Importance, Role};
use super::money::{pounds, pounds_range};
use super::text::{agree, count, in_sentence, join_list, with_article};
use super::transition::{
    Difficulty, Gap, HOURS_PER_WEEK, KEEPS_EARNINGS_PERCENT, PayDirection, Transition, difficulty,
    ranked_from, ranked_into, taught_by_qualification,
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
    /// The target needs a qualification, which sets the pace rather than study hours.
    pub regulated: bool,
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
    let shared = tr.transferable.len();
    let total = tr.to.skills.len();
    let carried = match shared {
        0 => format!("none of the {total} skills carry over"),
        1 => format!("1 of {total} skills carries over"),
        s => format!("{s} of {total} skills carry over"),
    };
    let pace = if tr.to.qualification.is_some() {
        "including the required qualification".to_owned()
    } else {
        format!("at about {HOURS_PER_WEEK} hours a week")
    };
    let meta_description = format!(
        "Moving from {} to {} in the UK: {carried} ({}% overlap), {timeline} {pace}, and \
         starting pay around {}.",
        n.f,
        n.t,
        tr.score.percent,
        pounds(tr.salary.starting_midpoint),
    );
    Guide {
        from_slug: tr.from.slug.clone(),
        to_slug: tr.to.slug.clone(),
        from_title: tr.from.title.clone(),
        to_title: tr.to.title.clone(),
        question: format!("Can {} become {}?", n.a_f, n.a_t),
        title,
        meta_description,
        regulated: tr.to.qualification.is_some(),
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
                effort: if tr.to.qualification.is_some() && taught_by_qualification(g) {
                    "Taught during the qualification".to_owned()
                } else {
                    format!(
                        "About {} at {HOURS_PER_WEEK} hours a week",
                        count(g.skill.learn_weeks as usize, "week", "weeks")
                    )
                },
                usage: format!("As {}, you would {}.", n.a_t, g.usage),
                evidence: g.skill.evidence.clone(),
            })
            .collect(),
        score_explainer: format!(
            "Overlap score: {}%. Core skills count twice and supporting skills once, so the {} \
             profile is worth {}, and {}.",
            tr.score.percent,
            n.t,
            count(tr.score.total_weight as usize, "point", "points"),
            match tr.score.matched_weight {
                0 => "the skills you have now cover none of them".to_owned(),
                m => format!("the skills you have now cover {m} of them"),
            },
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
        other_from: moves_from(catalogue, tr.from, Some(&tr.to.slug), OTHER_LINKS),
        other_into_heading: format!("Other routes into {}", tr.to.title),
        other_into: moves_into(catalogue, tr.to, Some(&tr.from.slug), OTHER_LINKS),
    }
}

pub fn guide_path(from: &str, to: &str) -> String {
    format!("/careers/{from}-to-{to}")
}

/// The best-matched moves out of `from`, labelled with where they lead, leaving out the
/// move to `except` (the one a guide is already about).
pub fn moves_from(
    catalogue: &Catalogue,
    from: &Role,
    except: Option<&str>,
    limit: usize,
) -> Vec<RouteLink> {
    ranked_from(catalogue, from)
        .iter()
        .filter(|o| Some(o.to.slug.as_str()) != except)
        .take(limit)
        .map(|o| link(o, &o.to.title))
        .collect()
}

/// The best-matched routes into `to`, labelled with where they start.
pub fn moves_into(
    catalogue: &Catalogue,
    to: &Role,
    except: Option<&str>,
    limit: usize,
) -> Vec<RouteLink> {
    ranked_into(catalogue, to)
        .iter()
        .filter(|o| Some(o.from.slug.as_str()) != except)
        .take(limit)
        .map(|o| link(o, &o.from.title))
        .collect()
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

/// Shared skill names as they read mid-sentence, core first.
fn skill_names(tr: &Transition<'_>, limit: usize) -> Vec<String> {
    tr.transferable
        .iter()
        .take(limit)
        .map(|s| lower_first(&s.skill.name))
        .collect()
}

/// A UK list of skill names. Names such as "KPI and performance reporting" carry their own
/// "and", so a list holding one gets a comma before its final "and" to stay unambiguous.
fn join_names(items: &[String]) -> String {
    match items {
        [init @ .., last] if !init.is_empty() && items.iter().any(|s| s.contains(" and ")) => {
            format!("{}, and {last}", init.join(", "))
        }
        _ => join_list(items),
    }
}

/// The gaps the timeline counts as study: all of them, except the field's own skills when a
/// qualification teaches them.
fn studied_gaps<'t, 'a>(tr: &'t Transition<'a>) -> impl Iterator<Item = &'t Gap<'a>> {
    let regulated = tr.to.qualification.is_some();
    tr.to_build
        .iter()
        .filter(move |g| !(regulated && taught_by_qualification(g)))
}

/// Months as years to the nearest half: 40 → "3½".
fn half_years(months: u32) -> String {
    let halves = (months + 3) / 6;
    if halves % 2 == 1 {
        format!("{}½", halves / 2)
    } else {
        (halves / 2).to_string()
    }
}

/// "3 years", "about 8½ years"; only used for spans of two years or more.
fn years(months: u32) -> String {
    let about = if months % 6 == 0 { "" } else { "about " };
    format!("{about}{} years", half_years(months))
}

/// "16–25 months", with the same span in years once it runs to two years or more, because
/// "96–100 months" is hard to picture.
fn month_range(min: u32, max: u32) -> String {
    let months = format!("{min}–{max} months");
    if min < 24 {
        return months;
    }
    let (low, high) = (half_years(min), half_years(max));
    let about = if min % 6 == 0 && max % 6 == 0 {
        ""
    } else {
        "about "
    };
    if low == high {
        format!("{months} ({about}{low} years)")
    } else {
        format!("{months} ({about}{low} to {high} years)")
    }
}

/// "36 months (3 years)" for a single duration.
fn month_count(months: u32) -> String {
    let words = count(months as usize, "month", "months");
    if months < 24 {
        words
    } else {
        format!("{words} ({})", years(months))
    }
}

fn intro(catalogue: &Catalogue, tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let shared = tr.transferable.len();
    let total = tr.to.skills.len();
    let first = if shared == 0 {
        format!(
            "None of the {total} skills on the {} profile appear in your work as {}, so you \
             would be building the new skill set from the ground up.",
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
            join_names(&names)
        )
    };
    let sector_name = |slug: &str| {
        catalogue
            .sector(slug)
            .map_or_else(|| slug.to_owned(), |s| s.name.to_lowercase())
    };
    let second = if tr.same_sector {
        format!(
            "Both roles sit in {}, so much of the setting will be familiar: how work is \
             organised and the language people use. Say so in applications, because it is \
             context a newcomer lacks.",
            sector_name(&tr.to.sector)
        )
    } else {
        format!(
            "The move crosses from {} into {}. Besides the skills below, expect to pick up the \
             new sector's vocabulary and its sense of what good work looks like.",
            sector_name(&tr.from.sector),
            sector_name(&tr.to.sector)
        )
    };
    let covers = if shared == 0 {
        "what to learn and in what order"
    } else {
        "what carries over, what to learn and in what order"
    };
    let plan = month_range(tr.timeline.min_months, tr.timeline.max_months);
    let pace = if tr.to.qualification.is_some() {
        format!("The qualification sets the pace: plan on {plan}.")
    } else {
        format!("At about {HOURS_PER_WEEK} hours a week, plan on {plan}.")
    };
    let third = format!(
        "This guide sets out {covers}, the likely effect on your pay, and how to explain the \
         change to an interviewer. {pace}"
    );
    vec![first, second, third]
}

fn why(tr: &Transition<'_>, n: &Names) -> Vec<Labelled> {
    let s = &tr.salary;
    let later = s.to_mid.midpoint();
    let now = pounds_range(s.from_mid.min, s.from_mid.max);
    let pay = if later > s.current_midpoint * 103 / 100 {
        format!("more than the {now} typical for {} at mid level", n.a_f)
    } else if later * 103 / 100 < s.current_midpoint {
        format!(
            "below the {now} typical for {} at mid level, so this move is rarely about pay",
            n.a_f
        )
    } else {
        format!("close to the {now} typical for {} at mid level", n.a_f)
    };
    vec![
        Labelled {
            label: format!("What draws people to work as {}", n.a_t),
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
                "At mid level, {} earns {}, {pay}.",
                n.a_t,
                pounds_range(s.to_mid.min, s.to_mid.max),
            ),
        },
    ]
}

/// How the study estimate treats supporting skills, which the timeline counts at half their
/// listed time; said so the weeks below and the total above add up for the reader.
fn half_depth_note(tr: &Transition<'_>) -> &'static str {
    let (mut core, mut supporting) = (0, 0);
    for g in studied_gaps(tr) {
        match g.importance {
            Importance::Core => core += 1,
            Importance::Supporting => supporting += 1,
        }
    }
    match (core, supporting) {
        (_, 0) => "",
        (0, 1) => {
            " That counts it at half its listed time, since supporting skills keep growing once \
             you are in the job."
        }
        (0, _) => {
            " That counts each at half its listed time, since supporting skills keep growing \
             once you are in the job."
        }
        _ => {
            " That counts core skills in full and supporting skills at half their listed time, \
             since those keep growing once you are in the job."
        }
    }
}

fn realistic(tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let mut out = Vec::new();
    let shared = tr.transferable.len();
    let total = tr.to.skills.len();
    let regulated = tr.to.qualification.is_some();
    let by_skills = difficulty(tr.score.percent, tr.same_sector, false);
    let verdict = if regulated && by_skills < tr.difficulty {
        format!(
            "On skills alone this would be {}: {shared} of the {total} skills on the {} profile \
             already {} over. What makes it {} is the qualification, which no amount of overlap \
             lets you skip.",
            with_article(by_skills.word()),
            n.t,
            agree(shared, "carries", "carry"),
            with_article(tr.difficulty.word()),
        )
    } else {
        match tr.difficulty {
            Difficulty::Close => format!(
                "This is a close move. Most of what the {} profile asks for is already part of \
                 your work, so your effort goes into proving it rather than learning from \
                 scratch.",
                n.t
            ),
            Difficulty::Moderate => format!(
                "This is a moderate move. You bring a real foundation, but there are gaps that \
                 {} interviewers will probe, so plan on steady study alongside your current job.",
                n.t
            ),
            Difficulty::Stretching => "This is a stretching move. Expect months of deliberate \
                 study, and at least one piece of work you can show, before applications start \
                 to turn into interviews."
                .to_owned(),
            Difficulty::FreshStart if shared == 0 => {
                "This is a fresh start. Treat it as retraining, with the time and effort that \
                 implies, rather than as a sideways step."
                    .to_owned()
            }
            Difficulty::FreshStart => {
                let core_total = tr.to.core_skills().count();
                let core_gaps = tr
                    .to_build
                    .iter()
                    .filter(|g| g.importance == Importance::Core)
                    .count();
                let what = match core_gaps {
                    0 => "your core skills carry over, but most of the rest has to be learnt \
                          and then shown"
                        .to_owned(),
                    g if g == core_total => format!(
                        "every core skill on the {} profile has to be learnt and then shown",
                        n.t
                    ),
                    g => format!(
                        "{g} of the {core_total} core skills on the {} profile {} to be learnt \
                         and then shown",
                        n.t,
                        agree(g, "has", "have"),
                    ),
                };
                format!("This is close to a fresh start. Treat it as retraining: {what}.")
            }
        }
    };
    out.push(verdict);
    let tl = &tr.timeline;
    let range = month_range(tl.min_months, tl.max_months);
    let studied = studied_gaps(tr).count();
    let taught = tr.to_build.len() - studied;
    let weeks = count(tl.study_weeks as usize, "week", "weeks");
    let half = half_depth_note(tr);
    out.push(match (studied, regulated) {
        (0, false) => format!(
            "On paper there is nothing new to learn, so the time goes on rewriting your CV and \
             applying: allow {range}."
        ),
        (0, true) if tr.to_build.is_empty() => format!(
            "Every skill on the profile is already yours, but the qualification is still \
             required, so plan on {range} in all."
        ),
        (0, true) => format!(
            "Everything you still need is taught during the qualification, so plan on {range} \
             in all."
        ),
        (s, false) => format!(
            "At about {HOURS_PER_WEEK} hours a week, {} below {} roughly {weeks} to bring to \
             the level a first job asks for.{half} Add two to four months for applications and \
             interviews, plus slack for weeks when study slips, and a realistic range is \
             {range}.",
            if s == 1 {
                "the skill".to_owned()
            } else {
                format!("the {s} skills")
            },
            agree(s, "takes", "take"),
        ),
        (s, true) => {
            let which = match (taught, s) {
                (0, 1) => "The skill below takes".to_owned(),
                (0, s) => format!("The {s} skills below take"),
                (_, 1) => "The qualification covers the skills marked below as taught during \
                     it. The other skill takes"
                    .to_owned(),
                (_, s) => format!(
                    "The qualification covers the skills marked below as taught during it. \
                     The other {s} take"
                ),
            };
            format!(
                "{which} roughly {weeks} at about {HOURS_PER_WEEK} hours a week, and you can \
                 start on {} now.{half} All in, a realistic range is {range}.",
                if s == 1 { "it" } else { "them" },
            )
        }
    });
    if let Some(q) = &tr.to.qualification {
        out.push(format!(
            "Becoming {} in the UK means completing a recognised route: {}. {} Typical cost: \
             {}. The timelines on this page assume it takes about {}, whatever you bring. A \
             6–12 month plan cannot make you {} on its own; it can get you ready to apply.",
            n.a_t,
            q.name.trim_end_matches('.'),
            q.route.trim_end(),
            q.cost.trim_end_matches('.'),
            month_count(q.months),
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
                "No skill on the {} profile is one you use as {}, so nothing transfers directly.",
                n.t, n.a_f
            ),
            "What does help is less visible: you already hold down a job, meet deadlines and \
             work with other people, and you know how to learn while employed. Interviewers \
             will want new skills proven with real work, so the list below matters more than \
             usual."
                .to_owned(),
        ];
    }
    vec![format!(
        "{} {} directly. {} how you use it now and how {} would use it.",
        count(shared, "skill", "skills"),
        agree(shared, "transfers", "transfer"),
        agree(shared, "Here is", "For each one, here is"),
        n.a_t,
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
    match (core, supporting) {
        (1, 0) => "There is 1 skill to build, and it is core: employers screen for it.".to_owned(),
        (_, 0) => format!(
            "There are {total} skills to build, {} core: employers screen for each one.",
            if total == 2 { "both" } else { "all of them" }
        ),
        (0, 1) => "There is 1 skill to build, a supporting one that you can keep growing once \
             you are in the job."
            .to_owned(),
        (0, _) => format!(
            "There are {total} skills to build, {} supporting ones that you can keep growing \
             once you are in the job.",
            if total == 2 { "both" } else { "all of them" }
        ),
        (c, s) => format!(
            "There are {total} skills to build: {c} core, which employers screen for, and {s} \
             supporting, which you can keep growing once you are in the job. Core skills come \
             first."
        ),
    }
}

fn salary_text(tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let s = &tr.salary;
    let regulated = tr.to.qualification.is_some();
    let start = format!(
        "Entry-level {} roles pay {}, a midpoint of {}. As {} at mid level, you earn around {}, \
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
    let mut out = vec![start];
    match s.direction {
        PayDirection::Rise => {
            out.push(format!(
                "That is a pay rise from your first day in the new role: about {diff} ({pct}%) \
                 more a year."
            ));
            if pct >= 50 && !regulated {
                out.push(
                    "A rise this large is worth checking against real adverts: note what each \
                     one asks for in experience, not just in skills."
                        .to_owned(),
                );
            }
        }
        PayDirection::Similar => out.push(match s.change {
            0 => "Starting pay is about the same as what you earn now.".to_owned(),
            c if c > 0 => {
                format!("Starting pay is close to what you earn now: about {diff} a year more.")
            }
            _ => format!("Starting pay is close to what you earn now: about {diff} a year less."),
        }),
        PayDirection::Cut => {
            out.push(format!(
                "Expect a pay cut at first: about {diff} ({pct}%) less a year while you build \
                 experience in the new role."
            ));
            if !s.keeps_three_quarters {
                out.push(format!(
                    "Starting pay would be less than {KEEPS_EARNINGS_PERCENT}% of what you earn \
                     now, so work out what you can live on before you commit."
                ));
            }
            if !regulated && matches!(tr.difficulty, Difficulty::Close | Difficulty::Moderate) {
                out.push(
                    "With this much overlap, you may be able to apply above entry level, which \
                     would narrow the gap."
                        .to_owned(),
                );
            }
        }
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
        "Every career changer meets two questions: why leave your work as {}, and why become \
         {}? Answer both by looking forward. Name the part of the new work that draws you, and \
         show that you have already started on it.",
        n.a_f, n.a_t
    )];
    match tr.transferable.first() {
        Some(first) => {
            let names = skill_names(tr, 3);
            out.push(if names.len() == 1 {
                format!(
                    "Your strongest material is the overlap. Prepare a short example of {} from \
                     your current job: the situation, what you did, and what changed because of \
                     it.",
                    names[0]
                )
            } else {
                format!(
                    "Your strongest material is the overlap. Prepare a short example from your \
                     current job for each of {}: the situation, what you did, and what changed \
                     because of it.",
                    join_names(&names)
                )
            });
            out.push(format!(
                "One way to open: take {}, which both jobs use, and describe a real time you \
                 used it as {}. Then say how {} would use it, and that this is the part of the \
                 work you want more of.",
                lower_first(&first.skill.name),
                n.a_f,
                n.a_t
            ));
        }
        None => {
            // Into a regulated role, show a skill the qualification does not teach.
            let gap = studied_gaps(tr).next().or(tr.to_build.first());
            if let Some(gap) = gap {
                out.push(format!(
                    "With no direct overlap, your examples come from what you have built while \
                     learning. Bring one piece of work that shows {}, and talk through the \
                     choices you made and what you would do differently.",
                    lower_first(&gap.skill.name)
                ));
            }
        }
    }
    out
}

fn faq(tr: &Transition<'_>, n: &Names) -> Vec<Faq> {
    let tl = &tr.timeline;
    let s = &tr.salary;
    let range = month_range(tl.min_months, tl.max_months);
    let overlap = match tr.score.percent {
        0 => "no skill overlap".to_owned(),
        // "an 8%", "an 11%", "an 18%", "an 80%": by the sound of the number.
        p @ (8 | 11 | 18 | 80..=89) => format!("an {p}% skill overlap"),
        p => format!("a {p}% skill overlap"),
    };
    let mut out = Vec::new();
    let can = match (&tr.to.qualification, tr.difficulty) {
        (Some(q), _) => format!(
            "Yes, but not without the qualification: {}. It usually takes about {}. What you \
             bring from your work as {} helps you through it; it does not let you skip it.",
            q.name.trim_end_matches('.'),
            month_count(q.months),
            n.a_f
        ),
        (None, Difficulty::Close | Difficulty::Moderate) => format!(
            "Yes. It is {} with {overlap}; plan on {range} at about {HOURS_PER_WEEK} hours a \
             week.",
            with_article(tr.difficulty.word()),
        ),
        (None, _) => format!(
            "Yes, but it is {} with {overlap}. Expect {range} at about {HOURS_PER_WEEK} hours a \
             week, most of it spent learning.",
            with_article(tr.difficulty.word()),
        ),
    };
    out.push(Faq {
        question: format!("Can {} realistically become {}?", n.a_f, n.a_t),
        answer: can,
    });
    out.push(Faq {
        question: format!(
            "How long does it take to become {} after working as {}?",
            n.a_t, n.a_f
        ),
        answer: match tl.qualification_months {
            Some(q) => format!(
                "Plan on {range}. The qualification alone takes about {}, so the plan cannot \
                 be shorter than that.",
                month_count(q)
            ),
            None => format!(
                "Plan on {range} at about {HOURS_PER_WEEK} hours a week: roughly {} of study \
                 for the gaps, then applications and interviews.",
                count(tl.study_weeks as usize, "week", "weeks")
            ),
        },
    });
    let (question, answer) = match s.direction {
        PayDirection::Rise => (
            format!("Will I earn more as {}?", n.a_t),
            format!(
                "On advertised pay, yes. Entry-level pay has a midpoint of about {}, around {} \
                 ({}%) more than the {} midpoint for {} at mid level.",
                pounds(s.starting_midpoint),
                pounds(s.change),
                s.change_percent,
                pounds(s.current_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Similar => (
            format!("Will my pay change if I become {}?", n.a_t),
            format!(
                "Not by much at first. Entry-level pay has a midpoint of about {}, against {} \
                 for {} at mid level.",
                pounds(s.starting_midpoint),
                pounds(s.current_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Cut => (
            format!("Will I need to take a pay cut to become {}?", n.a_t),
            format!(
                "Usually, at first. Entry-level pay has a midpoint of about {}, which is {} \
                 ({}%) less than the {} midpoint for {} at mid level. At mid level, {} earns {}.",
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
                q.name.trim_end_matches('.'),
                q.route.trim_end(),
                q.cost.trim_end_matches('.')
            ),
            None => format!(
                "No formal qualification is required; employers look for evidence of the core \
                 skills. {}",
                tr.to.routes_in.first().cloned().unwrap_or_default()
            )
            .trim_end()
            .to_owned(),
        },
    });
    let first_studied = studied_gaps(tr).next();
    out.push(Faq {
        question: "What should I learn first?".to_owned(),
        answer: match (&tr.to.qualification, first_studied) {
            (Some(_), next) => {
                let mut a = "Start with the qualification route: check the entry requirements \
                     of the courses or schemes you are considering and what they ask you to \
                     show at application."
                    .to_owned();
                if let Some(gap) = next {
                    a.push_str(&format!(
                        " Alongside that, {} is worth starting now: about {} at \
                         {HOURS_PER_WEEK} hours a week.",
                        lower_first(&gap.skill.name),
                        count(gap.skill.learn_weeks as usize, "week", "weeks"),
                    ));
                }
                a
            }
            (None, Some(gap)) => format!(
                "Start with {}. It is a {} skill for {} and takes about {} at {HOURS_PER_WEEK} \
                 hours a week. A good way to show it: {}",
                gap.skill.name,
                gap.importance.as_str(),
                n.a_t,
                count(gap.skill.learn_weeks as usize, "week", "weeks"),
                lower_first(&gap.skill.evidence)
            ),
            (None, None) => "Nothing new on paper. Put your effort into evidence instead: a CV \
                 and examples that show each skill in use."
                .to_owned(),
        },
    });
    out.push(Faq {
        question: format!("Can I prepare while still working as {}?", n.a_f),
        answer: match &tr.to.qualification {
            Some(_) => "You can start on the skills and on your application while employed. \
                 Whether you can keep earning while you qualify depends on the route, so check \
                 whether it is full-time study or a paid training post."
                .to_owned(),
            None => format!(
                "Yes, and most people should. The estimates here assume about {HOURS_PER_WEEK} \
                 hours a week alongside a job, which keeps your income and avoids a gap on \
                 your CV."
            ),
        },
    });
    out
}

/// First words that stay capitalised mid-sentence: products, languages and methods that
/// skill names and evidence start with.
const PROPER_FIRST_WORDS: [&str; 26] = [
    "Adobe",
    "Agile",
    "Amazon",
    "Android",
    "Apache",
    "Docker",
    "Excel",
    "Figma",
    "Git",
    "Go",
    "Google",
    "Java",
    "Jira",
    "Kotlin",
    "Kubernetes",
    "Linux",
    "Microsoft",
    "Python",
    "React",
    "Sage",
    "Salesforce",
    "Swift",
    "Tableau",
    "Terraform",
    "Windows",
    "Xero",
];

/// Lowercases the first letter of authored text used mid-sentence (a skill name, a piece of
/// evidence after a colon), unless it starts with a proper noun: an acronym or brand ("AWS",
/// "CompTIA", "C#", "R"), a known product or language ("Python", "Excel"), or a name of two
/// capitalised words ("Self Assessment", "Chartered Engineer"). "A public …" → "a public …".
fn lower_first(s: &str) -> String {
    let mut words = s.split_whitespace();
    let first = words.next().unwrap_or("");
    let second = words.next();
    let word = first.trim_end_matches([',', '.', ':', ';']);
    let letters = word.chars().count();
    let article = matches!(word, "A" | "An" | "The");
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let keep = word == "I"
        || word.chars().skip(1).any(char::is_uppercase)
        || word
            .chars()
            .any(|c| !c.is_alphabetic() && c != '-' && c != '\'' && c != '’')
        || (letters == 1 && !(word == "A" && second.is_some()))
        || PROPER_FIRST_WORDS.contains(&word)
        || (!article && second.is_some_and(capitalised));
    if keep {
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
    use crate::domain::catalogue::fixtures::{catalogue, sample};
    use crate::domain::transition::analyse;

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
    #[test]
    fn skill_names_read_naturally_mid_sentence() {
        for (name, expected) in [
            ("Statistics", "statistics"),
            ("Relational database design", "relational database design"),
            ("Presenting to groups", "presenting to groups"),
            (
                "Qualified teacher status (QTS)",
                "qualified teacher status (QTS)",
            ),
            ("Python", "Python"),
            ("Git and version control", "Git and version control"),
            ("Agile and Scrum", "Agile and Scrum"),
            ("R", "R"),
            ("C and C++", "C and C++"),
            ("C# and .NET", "C# and .NET"),
            (
                "A/B testing and experiment design",
                "A/B testing and experiment design",
            ),
            (
                "KPI and performance reporting",
                "KPI and performance reporting",
            ),
            ("Microsoft Azure", "Microsoft Azure"),
            (
                "Self Assessment or VAT returns.",
                "Self Assessment or VAT returns.",
            ),
            ("Xero Advisor certification.", "Xero Advisor certification."),
            ("The CompTIA A+ certificate.", "the CompTIA A+ certificate."),
        ] {
            assert_eq!(lower_first(name), expected, "{name}");
        }
    }

    #[test]
    fn lists_of_names_that_contain_and_stay_unambiguous() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            join_names(&v(&["Python", "SQL", "3 more"])),
            "Python, SQL and 3 more"
        );
        assert_eq!(
            join_names(&v(&[
                "commercial awareness",
                "KPI and performance reporting"
            ])),
            "commercial awareness, and KPI and performance reporting"
        );
        assert_eq!(join_names(&v(&["SQL"])), "SQL");
    }

    #[test]
    fn long_timelines_are_also_given_in_years() {
        assert_eq!(month_range(16, 25), "16–25 months");
        assert_eq!(month_range(36, 40), "36–40 months (about 3 to 3½ years)");
        assert_eq!(month_range(24, 26), "24–26 months (about 2 years)");
        assert_eq!(month_range(96, 96), "96–96 months (8 years)");
        assert_eq!(month_count(10), "10 months");
        assert_eq!(month_count(60), "60 months (5 years)");
    }

    #[test]
    fn a_qualification_changes_the_verdict_and_the_pace() {
        let mut roles = sample().roles;
        let nurse = roles.iter_mut().find(|r| r.slug == "nurse").unwrap();
        nurse.qualification = Some(crate::domain::catalogue::Qualification {
            name: "NMC registration as a nurse".into(),
            route: "A nursing degree.".into(),
            months: 36,
            cost: "Tuition fees.".into(),
        });
        let cat = catalogue(roles);
        // IT support shares k, l (core) and h, i, j (supporting) with the nurse profile.
        let g = guide(&cat, "it-support", "nurse");
        let text = all_text(&g);
        assert!(
            g.realistic[0].starts_with("On skills alone this would be"),
            "{text}"
        );
        assert!(text.contains("What makes it a stretching move is the qualification"));
        assert!(text.contains("Yes, but not without the qualification: NMC registration"));
        assert!(text.contains("36–40 months (about 3 to 3½ years)"));
        assert!(
            g.meta_description
                .contains("including the required qualification")
        );
        assert!(!g.meta_description.contains("hours a week"));
    }

    #[test]
    fn similar_pay_says_which_way_without_rise_or_cut() {
        let mut roles = sample().roles;
        let it = roles.iter_mut().find(|r| r.slug == "it-support").unwrap();
        // Mid-level midpoint 33,000 against the nurse's entry midpoint of 32,500.
        it.salary.mid = crate::domain::catalogue::Band {
            min: 30_000,
            max: 36_000,
        };
        let cat = catalogue(roles);
        let g = guide(&cat, "it-support", "nurse");
        let text = all_text(&g).to_lowercase();
        assert!(
            text.contains("close to what you earn now: about £500 a year less"),
            "{text}"
        );
        assert!(!text.contains("pay cut") && !text.contains("pay rise"));
        assert!(!text.contains("75%"));
    }

    #[test]
    fn nothing_shared_is_said_plainly_once_per_section() {
        let cat = sample();
        let g = guide(&cat, "cloud-engineer", "nurse");
        assert!(g.intro[0].starts_with("None of the 6 skills"));
        assert!(g.intro[2].starts_with("This guide sets out what to learn"));
        assert!(g.score_explainer.ends_with("cover none of them."));
        assert!(
            g.meta_description
                .contains("none of the 6 skills carry over")
        );
        let can = &g.faq[0].answer;
        assert!(can.contains("no skill overlap"), "{can}");
    }
}
