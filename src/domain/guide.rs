//! The words of a career-change guide, generated from a `Transition`. Every sentence here
//! must hold for every pair it can be produced for: wording varies only with the facts
//! (overlap, sector, pay direction, the level you would start at, when each skill is needed,
//! the route into the role), never at random. Each figure is worked out once, in
//! `transition`, and every sentence that mentions it reads that one value.

use serde::Serialize;

use std::hash::{Hash, Hasher};

use std::borrow::Cow;

use super::catalogue::{
    Activity, Catalogue, EntryRoute, Importance, Qualification, Role, RoleProse, RouteKind,
};
use super::markdown::{Html, to_plain};
use super::money::{pounds, pounds_range};
use super::text::{agree, count, in_sentence, join_list, sentence_case, with_article};
use super::transition::{
    Difficulty, Gap, HOURS_PER_WEEK, HeadStart, KEEPS_EARNINGS_PERCENT, Level, PayDirection,
    RankedMove, SIMILAR_PAY_PERCENT, StartReason, Transition, best_moves_from, best_moves_into,
};
use crate::domain::catalogue::SkillTiming;

/// How many "other moves" links each list shows.
const OTHER_LINKS: usize = 6;
/// The plan the product builds runs for 6 to 12 months; the call to action names it only
/// when the guide's own timeline can fit it.
const PLAN_MONTHS: (u32, u32) = (6, 12);

#[derive(Debug, Clone, Serialize)]
pub struct Guide {
    pub from_slug: String,
    pub to_slug: String,
    pub from_title: String,
    pub to_title: String,
    pub title: String,
    pub meta_description: String,
    pub question: String,
    /// The target needs a qualification, whose route sets the pace rather than study hours.
    pub regulated: bool,
    pub facts: KeyFacts,
    pub intro: Vec<String>,
    /// The planning call to action, worded to fit the timeline.
    pub plan_cta: String,
    pub why: Vec<Labelled>,
    pub realistic: Vec<String>,
    pub transfer_intro: Vec<String>,
    pub transferable: Vec<TransferItem>,
    pub build_intro: String,
    pub to_build: Vec<BuildItem>,
    pub score_explainer: String,
    pub salary_text: Vec<String>,
    pub salary_rows: Vec<SalaryRow>,
    pub chart_caption: String,
    pub salary_reviewed: String,
    /// Where each role's figures come from; one entry when both roles share a basis.
    pub pay_basis: Vec<Labelled>,
    pub day_from: Vec<ActivityView>,
    pub day_to: Vec<ActivityView>,
    pub day_from_heading: String,
    pub day_to_heading: String,
    pub interview: Vec<String>,
    pub interview_focus_heading: String,
    pub interview_focus: Vec<String>,
    pub faq: Vec<Faq>,
    /// An admin's note for this one pair (Markdown, sanitised).
    pub note: Option<Html>,
    pub other_from_heading: String,
    pub other_from: Vec<RouteLink>,
    pub other_into_heading: String,
    pub other_into: Vec<RouteLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFacts {
    pub overlap: String,
    pub difficulty: String,
    pub timeline_label: String,
    pub timeline: String,
    pub pay_change: String,
    /// The level the pay change is measured at: "at mid level", "as a trainee".
    pub pay_level: String,
    /// Into a role with a qualification: whether you are paid while you train.
    pub paid_training: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Labelled {
    pub label: String,
    /// Escaped generated text, or an admin's Markdown rendered and sanitised.
    pub text: Html,
}

/// One day-to-day activity; the description is an admin's Markdown, sanitised.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub title: String,
    pub description: Html,
}

impl ActivityView {
    pub fn all(activities: &[Activity]) -> Vec<Self> {
        activities
            .iter()
            .map(|a| Self {
                title: a.title.clone(),
                description: Html::markdown(&a.description),
            })
            .collect()
    }

    /// A role's activities, with descriptions already rendered in `prose`.
    fn of(role: &Role, prose: &RoleProse) -> Vec<Self> {
        role.activities
            .iter()
            .zip(&prose.activities)
            .map(|(a, description)| Self {
                title: a.title.clone(),
                description: description.clone(),
            })
            .collect()
    }
}

/// A role's rendered prose: kept with the catalogue for a live role, since every guide to
/// or from it shows the same.
fn prose<'a>(catalogue: &'a Catalogue, role: &Role) -> Cow<'a, RoleProse> {
    match catalogue.remembered(role) {
        Some(kept) => Cow::Borrowed(kept.prose.get_or_init(|| RoleProse::of(role))),
        None => Cow::Owned(RoleProse::of(role)),
    }
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
    /// "before applying", "on the job" or "taught in training".
    pub timing: &'static str,
    /// Study time, for skills needed before applying.
    pub effort: Option<String>,
    pub usage: String,
    /// What to show an employer; only for skills needed before applying.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SalaryRow {
    pub role: String,
    pub level: &'static str,
    pub min: i64,
    pub max: i64,
    pub range: String,
    /// The row that stands for "now" (source, mid level) or "next" (target, the level most
    /// people start at).
    pub highlight: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Faq {
    pub question: String,
    /// Plain text, for JSON-LD.
    pub answer: String,
    /// The same answer for the page.
    pub answer_html: Html,
}

impl Faq {
    fn generated(question: String, answer: String) -> Self {
        Self {
            answer_html: Html::paragraph(&answer),
            question,
            answer,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
    let from_prose = prose(catalogue, tr.from);
    let to_prose = prose(catalogue, tr.to);
    let total = tr.timeline.total;
    let timeline = format!("{}–{} months", total.min, total.max);
    let regulated = tr.to.qualification.is_some();
    let facts = KeyFacts {
        overlap: format!("{}%", tr.score.percent),
        difficulty: tr.difficulty.label().to_owned(),
        timeline_label: if regulated {
            "Time to a paid post, training included".to_owned()
        } else {
            format!("Timeline at {HOURS_PER_WEEK} h a week")
        },
        timeline: timeline.clone(),
        pay_change: pay_change(tr),
        pay_level: pay_level(tr).to_owned(),
        paid_training: tr.route().map(paid_while_training),
    };
    let title = format!("{} to {}", tr.from.title, tr.to.title);
    let shared = tr.transferable.len();
    let skills_total = tr.to.skills.len();
    let carried = match shared {
        0 => format!("none of the {skills_total} skills carry over"),
        1 => format!("1 of {skills_total} skills carries over"),
        s => format!("{s} of {skills_total} skills carry over"),
    };
    let pace = if regulated {
        "to a paid post, training included".to_owned()
    } else {
        format!("at about {HOURS_PER_WEEK} hours a week")
    };
    let meta_description = format!(
        "Moving from {} to {} in the UK: {carried} ({}% overlap), {timeline} {pace}, and \
         starting pay around {} {}.",
        n.f,
        n.t,
        tr.score.percent,
        pounds(tr.salary.starting_midpoint),
        pay_level(tr),
    );
    Guide {
        from_slug: tr.from.slug.clone(),
        to_slug: tr.to.slug.clone(),
        from_title: tr.from.title.clone(),
        to_title: tr.to.title.clone(),
        question: format!("Can {} become {}?", n.a_f, n.a_t),
        title,
        meta_description,
        regulated,
        facts,
        intro: intro(catalogue, tr, &n),
        plan_cta: plan_cta(tr),
        why: why(tr, &n, &from_prose, &to_prose),
        realistic: realistic(catalogue, tr, &n),
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
        to_build: tr.to_build.iter().map(|g| build_item(tr, g, &n)).collect(),
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
        salary_text: salary_text(catalogue, tr, &n),
        salary_rows: salary_rows(tr),
        chart_caption: format!(
            "Highlighted: where you are now (mid level) and where most people start ({}).",
            tr.salary.start_level.word()
        ),
        salary_reviewed: tr
            .to
            .salary_reviewed
            .max(tr.from.salary_reviewed)
            .format("%B %Y")
            .to_string(),
        pay_basis: pay_basis(tr),
        day_from_heading: format!("Your day now, as {}", n.a_f),
        day_to_heading: format!("Your day as {}", n.a_t),
        day_from: ActivityView::of(tr.from, &from_prose),
        day_to: ActivityView::of(tr.to, &to_prose),
        interview: interview(tr, &n),
        interview_focus_heading: format!("What {} interviewers look for", n.t),
        interview_focus: tr.to.interviewers_look_for.clone(),
        faq: with_pair_faq(faq(tr, &n), catalogue, tr),
        note: catalogue
            .pair_note(&tr.from.slug, &tr.to.slug)
            .filter(|p| !p.note.trim().is_empty())
            .map(|p| Html::blocks(&p.note)),
        other_from_heading: format!("Other career changes from {}", tr.from.title),
        other_from: moves_from(catalogue, tr.from, Some(&tr.to.slug), OTHER_LINKS),
        other_into_heading: format!("Other routes into {}", tr.to.title),
        other_into: moves_into(catalogue, tr.to, Some(&tr.from.slug), OTHER_LINKS),
    }
}

/// The headline pay change: a signed whole percentage, or "About the same" within the
/// spread of advertised bands.
fn pay_change(tr: &Transition<'_>) -> String {
    match tr.salary.direction {
        PayDirection::Similar => "About the same".to_owned(),
        _ => signed_percent(tr.salary.change_percent),
    }
}

/// The level the starting pay is quoted at, as it reads after a figure.
fn pay_level(tr: &Transition<'_>) -> &'static str {
    match (tr.salary.start_reason, tr.route()) {
        (StartReason::Qualification, Some(r)) if r.kind == RouteKind::UnpaidStudy => {
            "once qualified"
        }
        (StartReason::Qualification, _) => "as a trainee",
        (_, _) => match tr.salary.start_level {
            Level::Entry => "at entry level",
            Level::BetweenEntryAndMid => "between entry and mid level",
            Level::Mid => "at mid level",
        },
    }
}

/// "No: 36 months of full-time study", "Yes, from the first day".
fn paid_while_training(route: &EntryRoute) -> String {
    match route.kind {
        RouteKind::UnpaidStudy if route.unpaid_months < route.months => format!(
            "Not at first: {} of study, then {} paid",
            month_count(route.unpaid_months),
            count(
                (route.months - route.unpaid_months) as usize,
                "month",
                "months"
            ),
        ),
        RouteKind::UnpaidStudy => format!("No: {} of full-time study", month_count(route.months)),
        RouteKind::PaidTraining => "Yes, from the first day".to_owned(),
        RouteKind::Apprenticeship => "Yes, as an apprentice".to_owned(),
    }
}

/// A route's length and pay in a phrase: "36 months (3 years), all of it full-time study
/// without a salary".
pub fn route_summary(route: &EntryRoute) -> String {
    format!("{}, {}", month_count(route.months), route_pay_phrase(route))
}

/// How a route pays, as it reads after its length: "all of it full-time study without a
/// salary", "paid from the first day".
fn route_pay_phrase(route: &EntryRoute) -> String {
    match route.kind {
        RouteKind::UnpaidStudy if route.unpaid_months < route.months => format!(
            "the first {} without a salary",
            count(route.unpaid_months as usize, "month", "months")
        ),
        RouteKind::UnpaidStudy => "all of it full-time study without a salary".to_owned(),
        RouteKind::PaidTraining => "paid from the first day".to_owned(),
        RouteKind::Apprenticeship => "paid as an apprentice while you study".to_owned(),
    }
}

fn plan_cta(tr: &Transition<'_>) -> String {
    let total = tr.timeline.total;
    let (short, long) = PLAN_MONTHS;
    if total.min > long {
        format!("Plan your first {long} months")
    } else if total.max < short {
        "Build a short plan to apply".to_owned()
    } else {
        format!("Build a {short}–{long} month plan")
    }
}

fn pay_basis(tr: &Transition<'_>) -> Vec<Labelled> {
    if tr.from.pay_basis == tr.to.pay_basis {
        return vec![Labelled {
            label: "Both roles".to_owned(),
            text: Html::text(&tr.to.pay_basis),
        }];
    }
    [tr.to, tr.from]
        .iter()
        .map(|r| Labelled {
            label: r.title.clone(),
            text: Html::text(&r.pay_basis),
        })
        .collect()
}

/// The generated questions, then any an admin wrote for this one pair.
fn with_pair_faq(mut faq: Vec<Faq>, catalogue: &Catalogue, tr: &Transition<'_>) -> Vec<Faq> {
    if let Some(note) = catalogue.pair_note(&tr.from.slug, &tr.to.slug) {
        faq.extend(note.faq.iter().map(|e| Faq {
            question: e.question.clone(),
            answer: to_plain(&e.answer),
            answer_html: Html::blocks(&e.answer),
        }));
    }
    faq
}

/// Everything about one role that a page showing it reads: the role, its skills' entries
/// and its sector.
fn hash_role(h: &mut impl Hasher, catalogue: &Catalogue, role: &Role) {
    let digest = || {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        role.hash(&mut h);
        for rs in &role.skills {
            catalogue.skill(&rs.skill).hash(&mut h);
        }
        catalogue.sector(&role.sector).hash(&mut h);
        h.finish()
    };
    // Hashing a role's whole text costs more than the rest of a digest: once per role.
    let digest = match catalogue.remembered(role) {
        Some(kept) => *kept.digest.get_or_init(digest),
        None => digest(),
    };
    h.write_u64(digest);
}

/// A digest of everything a guide's body is made of. Two catalogues that give the same
/// digest for a pair give the same page, which is what lets an edit keep the rest cached.
pub fn guide_inputs(
    catalogue: &Catalogue,
    from: &Role,
    to: &Role,
    other_from: &[RouteLink],
    other_into: &[RouteLink],
) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    "guide".hash(&mut h);
    hash_role(&mut h, catalogue, from);
    hash_role(&mut h, catalogue, to);
    catalogue.pair_note(&from.slug, &to.slug).hash(&mut h);
    other_from.hash(&mut h);
    other_into.hash(&mut h);
    h.finish()
}

/// The same for a role page.
pub fn role_page_inputs(
    catalogue: &Catalogue,
    role: &Role,
    out_of: &[RouteLink],
    into: &[RouteLink],
) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    "role".hash(&mut h);
    hash_role(&mut h, catalogue, role);
    out_of.hash(&mut h);
    into.hash(&mut h);
    h.finish()
}

/// What judging every cached page after an edit reads: the same as rendering them, with
/// each role's best-matched moves kept by the catalogue itself (see `transition::best_moves`).
pub struct LinkMemo<'a> {
    catalogue: &'a Catalogue,
}

impl<'a> LinkMemo<'a> {
    pub fn new(catalogue: &'a Catalogue) -> Self {
        Self { catalogue }
    }

    /// `moves_from(catalogue, role, except, limit)`.
    pub fn moves_from(
        &mut self,
        role: &Role,
        except: Option<&str>,
        limit: usize,
    ) -> Vec<RouteLink> {
        moves_from(self.catalogue, role, except, limit)
    }

    /// `moves_into(catalogue, role, except, limit)`.
    pub fn moves_into(
        &mut self,
        role: &Role,
        except: Option<&str>,
        limit: usize,
    ) -> Vec<RouteLink> {
        moves_into(self.catalogue, role, except, limit)
    }

    /// `guide_inputs` for a pair, with the links from the memo.
    pub fn guide_inputs(&mut self, from: &Role, to: &Role) -> u64 {
        let other_from = self.moves_from(from, Some(&to.slug), OTHER_LINKS);
        let other_into = self.moves_into(to, Some(&from.slug), OTHER_LINKS);
        guide_inputs(self.catalogue, from, to, &other_from, &other_into)
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
    best_moves_from(catalogue, from, except, limit)
        .iter()
        .map(|m| {
            let to = &catalogue.roles[m.other];
            link(m, &from.slug, &to.slug, &to.title)
        })
        .collect()
}

/// The best-matched routes into `to`, labelled with where they start.
pub fn moves_into(
    catalogue: &Catalogue,
    to: &Role,
    except: Option<&str>,
    limit: usize,
) -> Vec<RouteLink> {
    best_moves_into(catalogue, to, except, limit)
        .iter()
        .map(|m| {
            let from = &catalogue.roles[m.other];
            link(m, &from.slug, &to.slug, &from.title)
        })
        .collect()
}

fn link(m: &RankedMove, from: &str, to: &str, label: &str) -> RouteLink {
    RouteLink {
        href: guide_path(from, to),
        label: label.to_owned(),
        overlap: m.percent,
        difficulty: m.difficulty.label(),
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
pub fn join_names(items: &[String]) -> String {
    match items {
        [init @ .., last] if !init.is_empty() && items.iter().any(|s| s.contains(" and ")) => {
            format!("{}, and {last}", init.join(", "))
        }
        _ => join_list(items),
    }
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
    let about = if months.is_multiple_of(6) {
        ""
    } else {
        "about "
    };
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
    let about = if min.is_multiple_of(6) && max.is_multiple_of(6) {
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

/// "3 of the 11 skills on the DevOps engineer profile already carry over", or that none is
/// part of your work now.
fn carried_clause(tr: &Transition<'_>, n: &Names) -> String {
    let total = tr.to.skills.len();
    match tr.transferable.len() {
        0 => format!(
            "none of the {total} skills on the {} profile is part of your work now",
            n.t
        ),
        s => format!(
            "{s} of the {total} skills on the {} profile already {} over",
            n.t,
            agree(s, "carries", "carry")
        ),
    }
}

/// "The place a route's fees apply", for a sentence: "in England", or nothing when the
/// route is the same across the UK.
fn where_it_applies(q: &Qualification) -> String {
    if q.applies_in.starts_with("in ") {
        format!(" {}", q.applies_in)
    } else {
        String::new()
    }
}

fn sector_name(catalogue: &Catalogue, slug: &str) -> String {
    catalogue
        .sector(slug)
        .map_or_else(|| slug.to_owned(), |s| s.name.to_lowercase())
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
    let second = if tr.same_sector {
        format!(
            "Both roles sit in {}, so much of the setting will be familiar: how work is \
             organised and the language people use. Say so in applications, because it is \
             context a newcomer lacks.",
            sector_name(catalogue, &tr.to.sector)
        )
    } else {
        format!(
            "The move crosses from {} into {}. Besides the skills below, expect to pick up the \
             new sector's vocabulary and its sense of what good work looks like.",
            sector_name(catalogue, &tr.from.sector),
            sector_name(catalogue, &tr.to.sector)
        )
    };
    let covers = if shared == 0 {
        "what to learn and in what order"
    } else {
        "what carries over, what to learn and in what order"
    };
    let tl = &tr.timeline;
    let plan = month_range(tl.total.min, tl.total.max);
    let pace = match tr.route() {
        None => format!("At about {HOURS_PER_WEEK} hours a week, plan on {plan}."),
        Some(_) if tl.unpaid_months > 0 && tl.paid_training_months == 0 => format!(
            "Plan on {plan} until your first paid day as {}, full-time study included.",
            n.a_t
        ),
        Some(_) if tl.unpaid_months > 0 => format!(
            "Plan on {plan} until your first paid day as a trainee, full-time study included, \
             then {} of paid training before you qualify.",
            month_count(tl.paid_training_months)
        ),
        Some(_) => format!(
            "Plan on {plan} until you start as a paid trainee, then {} of training on the job \
             before you qualify.",
            month_count(tl.paid_training_months)
        ),
    };
    let third = format!(
        "This guide sets out {covers}, the likely effect on your pay, and how to explain the \
         change to an interviewer. {pace}"
    );
    vec![first, second, third]
}

fn why(tr: &Transition<'_>, n: &Names, from: &RoleProse, to: &RoleProse) -> Vec<Labelled> {
    let s = &tr.salary;
    let later = s.to_mid.midpoint();
    let now = pounds_range(s.current.min, s.current.max);
    let gap = crate::domain::money::percent(later - s.current_midpoint, s.current_midpoint);
    let pay = if gap >= SIMILAR_PAY_PERCENT {
        format!("more than the {now} typical for {} at mid level", n.a_f)
    } else if gap <= -SIMILAR_PAY_PERCENT {
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
            text: to.appeal.clone(),
        },
        Labelled {
            label: format!("What you may be glad to leave behind as {}", n.a_f),
            text: from.challenges.clone(),
        },
        Labelled {
            label: "What the new role asks of you".to_owned(),
            text: to.challenges.clone(),
        },
        Labelled {
            label: "Pay in the longer run".to_owned(),
            text: Html::text(&format!(
                "At mid level, {} earns {}, {pay}.",
                n.a_t,
                pounds_range(s.to_mid.min, s.to_mid.max),
            )),
        },
    ]
}

/// How the study estimate treats supporting skills, which count at half their listed time;
/// said so the weeks below and the total above add up for the reader.
fn half_depth_note(tr: &Transition<'_>) -> &'static str {
    let (mut core, mut supporting) = (0, 0);
    for g in tr.studied_gaps() {
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

/// Which estimates are shorter because of what you already know.
fn head_start_note(catalogue: &Catalogue, tr: &Transition<'_>) -> String {
    let related: Vec<_> = tr
        .studied_gaps()
        .filter_map(|g| match g.head_start {
            Some(HeadStart::Related(s)) => Some((g.skill, s)),
            _ => None,
        })
        .collect();
    let seniority = tr
        .studied_gaps()
        .any(|g| g.head_start == Some(HeadStart::Seniority));
    let mut out = String::new();
    match related.as_slice() {
        [] => {}
        [(gap, known)] => out.push_str(&format!(
            " The estimate halves the time for {}, because you already use {}.",
            lower_first(&gap.name),
            lower_first(&known.name)
        )),
        many => out.push_str(&format!(
            " The estimate halves the time for {}, because you already use a close relative of \
             each.",
            join_names(
                &many
                    .iter()
                    .map(|(g, _)| lower_first(&g.name))
                    .collect::<Vec<_>>()
            )
        )),
    }
    if seniority {
        out.push_str(&format!(
            " The estimate {}counts the technical skills at half the time a beginner needs, \
             because you already work in {} at a more senior level.",
            if related.is_empty() { "" } else { "also " },
            sector_name(catalogue, &tr.to.sector)
        ));
    }
    out
}

/// "the skill", "the 3 skills".
fn the_skills(n: usize) -> String {
    if n == 1 {
        "the skill".to_owned()
    } else {
        format!("the {n} skills")
    }
}

/// "taught once you start", or "taught during {route}" into a role with a qualification.
fn taught(tr: &Transition<'_>) -> String {
    match tr.route() {
        Some(r) => format!("taught during {}", r.name),
        None => "taught once you start".to_owned(),
    }
}

fn verdict(tr: &Transition<'_>, n: &Names) -> String {
    let studies = tr.timeline.study_weeks > 0;
    let taught = taught(tr);
    let hurdle = if tr.route().is_some() {
        "getting a place"
    } else {
        "being taken on"
    };
    // Within a year: whatever the overlap, this is not retraining.
    let short = tr.timeline.total.max <= 12;
    if tr.difficulty_by_time > tr.difficulty_by_skills {
        let reason = match tr.route() {
            Some(_) if tr.timeline.unpaid_months > 0 => format!(
                "the qualification: {} of full-time study that no amount of overlap lets you \
                 skip",
                month_count(tr.timeline.unpaid_months)
            ),
            Some(_) => "the time before you can start: preparing, applying and selection all \
                 take months"
                .to_owned(),
            None => "the time the gaps take to learn before you can apply".to_owned(),
        };
        return format!(
            "On skills alone this would be {}: {}. What makes it {} is {reason}.",
            with_article(tr.difficulty_by_skills.word()),
            carried_clause(tr, n),
            with_article(tr.difficulty.word()),
        );
    }
    let shared = tr.transferable.len();
    match tr.difficulty {
        Difficulty::Close => format!(
            "This is a close move. Most of what the {} profile asks for is already part of \
             your work, so your effort goes into proving it rather than learning from scratch.",
            n.t
        ),
        Difficulty::Moderate if studies => format!(
            "This is a moderate move. You bring a real foundation, but there are gaps that {} \
             interviewers will probe, so plan on steady study alongside your current job.",
            n.t
        ),
        Difficulty::Moderate => format!(
            "This is a moderate move. You bring a real foundation, and what is missing is \
             {taught}, so the work before applying is showing what you already do."
        ),
        Difficulty::Stretching if studies => "This is a stretching move. Expect steady study, \
             and at least one piece of work you can show, before applications start to turn \
             into interviews."
            .to_owned(),
        Difficulty::Stretching => format!(
            "This is a stretching move: little of your current work carries over. Most of the \
             job is {taught}, so the hurdle is {hurdle}."
        ),
        Difficulty::FreshStart if shared == 0 && !short => "This is a fresh start. Treat it as \
             retraining, with the time and effort that implies, rather than as a sideways step."
            .to_owned(),
        Difficulty::FreshStart if shared == 0 && studies => format!(
            "This is a fresh start, though not a long one: most of the job is {taught}, so \
             after a little study the hurdle is {hurdle}."
        ),
        Difficulty::FreshStart if shared == 0 => format!(
            "This is a fresh start, though not a long one: the job is {taught}, so the hurdle \
             is {hurdle} rather than study."
        ),
        Difficulty::FreshStart | Difficulty::LongRoute => {
            let core_total = tr.to.core_skills().count();
            let core_gaps = tr.core_gaps();
            let studied_core = tr
                .studied_gaps()
                .filter(|g| g.importance == Importance::Core)
                .count();
            let which = if core_gaps == core_total {
                format!("every core skill on the {} profile is new to you", n.t)
            } else {
                format!(
                    "{core_gaps} of the {core_total} core skills on the {} profile {} new to you",
                    n.t,
                    agree(core_gaps, "is", "are")
                )
            };
            let what = match (core_gaps, studied_core) {
                (0, _) => "your core skills carry over, but most of the rest is new".to_owned(),
                (g, 0) => format!("{which}, though {} {taught}", agree(g, "it is", "they are")),
                (g, s) if s == g => format!(
                    "{which}, and {} to be learnt before you apply",
                    if g == 1 { "it has" } else { "each has" }
                ),
                (_, s) => format!(
                    "{which}, and {s} of them {} to be learnt before you apply",
                    agree(s, "has", "have")
                ),
            };
            if short {
                format!("This is close to a fresh start, though not a long one: {what}.")
            } else {
                format!("This is close to a fresh start. Treat it as retraining: {what}.")
            }
        }
    }
}

fn realistic(catalogue: &Catalogue, tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let tl = &tr.timeline;
    let range = month_range(tl.total.min, tl.total.max);
    let studied = tr.studied_gaps().count();
    let on_job = tr.to_build.len() - studied;
    let weeks = count(tl.study_weeks as usize, "week", "weeks");
    let notes = format!("{}{}", half_depth_note(tr), head_start_note(catalogue, tr));
    let study = format!(
        "{} to show before applying {} roughly {weeks} at about {HOURS_PER_WEEK} hours a \
         week.{notes}",
        sentence_case(&the_skills(studied)),
        agree(studied, "takes", "take"),
    );
    let timing = match (tr.to.qualification.as_ref(), tl.route) {
        (Some(q), Some(r)) => {
            let mut p = format!(
                "The usual route{} is {}: {}, {}.",
                where_it_applies(q),
                r.name,
                month_count(r.months),
                route_pay_phrase(r)
            );
            if r.degree_required {
                let no_degree = q.others().iter().find(|o| !o.degree_required);
                p.push_str(&match no_degree {
                    Some(o) => format!(
                        " It needs a degree before you start; without one, look at {}, which \
                         does not.",
                        o.name
                    ),
                    None => " It needs a degree before you start; without one, add about three \
                         years for a degree first."
                        .to_owned(),
                });
            }
            if studied > 0 {
                p.push(' ');
                p.push_str(&study);
            }
            p.push_str(&format!(
                " Allow {} from applying to the first day, because selection and fixed start \
                 dates set the pace.",
                month_range(tl.apply.min, tl.apply.max)
            ));
            p.push_str(&match (tl.unpaid_months, tl.prepare.max) {
                (0, 0) => format!(
                    " You are paid from the first day, and {} of training on the job follow.",
                    month_count(tl.paid_training_months)
                ),
                (0, _) => format!(
                    " In all, you could be a paid trainee in {range}, with {} of training on \
                     the job to follow.",
                    month_count(tl.paid_training_months)
                ),
                _ => format!(" In all, that is {range} before your first paid day."),
            });
            p
        }
        _ if tr.to_build.is_empty() => format!(
            "Every skill on the profile is already yours, so the time goes on your CV and \
             applications: allow {range}."
        ),
        _ if studied == 0 => format!(
            "Nothing on the {} profile has to be learnt before you apply, so the time goes on \
             your CV and applications: allow {range}.",
            n.t
        ),
        _ => {
            let mut p = format!(
                "At about {HOURS_PER_WEEK} hours a week, {} to show before applying {} roughly \
                 {weeks} to bring to the level employers ask for.{notes} Add two to four months \
                 for applications and interviews, plus slack for weeks when study slips, and a \
                 realistic range is {range}.",
                the_skills(studied),
                agree(studied, "takes", "take"),
            );
            if on_job > 0 {
                p.push_str(&format!(
                    " The other {} learned on the job, so {} not count here.",
                    if on_job == 1 {
                        "skill is".to_owned()
                    } else {
                        format!("{on_job} are")
                    },
                    agree(on_job, "it does", "they do"),
                ));
            }
            p
        }
    };
    vec![verdict(tr, n), timing]
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
    let before = tr.studied_gaps().count();
    let on_job = total - before;
    let taught = match tr.route() {
        Some(r) => format!("taught during {}", r.name),
        None => "taught once you start".to_owned(),
    };
    if on_job == total {
        return match total {
            1 => format!(
                "There is 1 skill to build, and it is {taught}, so it need not be in place \
                 before you apply."
            ),
            2 => format!(
                "There are 2 skills to build, both {taught}, so neither has to be in place \
                 before you apply."
            ),
            _ => format!(
                "There are {total} skills to build, all {taught}, so none has to be in place \
                 before you apply."
            ),
        };
    }
    if before < total {
        return format!(
            "There are {total} skills to build: {before} to show before you apply, and {on_job} \
             {taught}. The ones to show come first."
        );
    }
    let core = tr.core_gaps();
    let supporting = total - core;
    match (core, supporting) {
        (1, 0) => "There is 1 skill to build, and it is core: employers screen for it.".to_owned(),
        (_, 0) => format!(
            "There are {total} skills to build, {} core: employers screen for each one.",
            if total == 2 { "both" } else { "all of them" }
        ),
        (0, 1) => "There is 1 skill to build, a supporting one that is still worth showing \
             before you apply."
            .to_owned(),
        (0, _) => format!(
            "There are {total} skills to build, {} supporting ones that are still worth showing \
             before you apply.",
            if total == 2 { "both" } else { "all of them" }
        ),
        (c, s) => format!(
            "There are {total} skills to build: {c} core, which employers screen for, and {s} \
             supporting, worth showing at a basic level before you apply. Core skills come \
             first."
        ),
    }
}

fn build_item(tr: &Transition<'_>, g: &Gap<'_>, n: &Names) -> BuildItem {
    let before = g.timing == SkillTiming::BeforeApplying;
    // How the study time was shortened is explained once, above the list; an item only
    // names the skill that gives the head start.
    let effort = before.then(|| {
        let time = format!(
            "About {} at {HOURS_PER_WEEK} hours a week",
            count(g.weeks as usize, "week", "weeks")
        );
        match g.head_start {
            Some(HeadStart::Related(s)) => format!("{time} (you already use {})", s.name),
            _ => time,
        }
    });
    BuildItem {
        skill: g.skill.name.clone(),
        importance: g.importance.as_str(),
        timing: match (before, tr.route()) {
            (true, _) => "before applying",
            (false, Some(_)) => "taught in training",
            (false, None) => "on the job",
        },
        effort,
        usage: format!("As {}, you would {}.", n.a_t, g.usage),
        evidence: before.then(|| g.skill.evidence.clone()),
    }
}

fn salary_text(catalogue: &Catalogue, tr: &Transition<'_>, n: &Names) -> Vec<String> {
    let s = &tr.salary;
    let band = pounds_range(s.start.min, s.start.max);
    let mid = pounds(s.starting_midpoint);
    let route = tr.route();
    let unpaid = tr.timeline.unpaid_months > 0;
    let level = match s.start_reason {
        StartReason::Overlap => format!(
            "With this overlap, most people enter at mid level, where {} roles pay {band}, a \
             midpoint of {mid}.",
            n.t
        ),
        StartReason::SectorExperience => format!(
            "With this overlap and your experience of {}, most people start between entry and \
             mid level: {} roles pay {} at entry level and {} at mid level, so expect about \
             {mid}.",
            sector_name(catalogue, &tr.to.sector),
            n.t,
            pounds_range(tr.to.salary.entry.min, tr.to.salary.entry.max),
            pounds_range(tr.to.salary.mid.min, tr.to.salary.mid.max),
        ),
        StartReason::Gaps => match tr.core_gaps() {
            0 => format!(
                "With this overlap, most people enter at entry level, where {} roles pay {band}, \
                 a midpoint of {mid}.",
                n.t
            ),
            g => format!(
                "With {} still to learn, most people enter at entry level, where {} roles pay \
                 {band}, a midpoint of {mid}.",
                count(g, "core skill", "core skills"),
                n.t
            ),
        },
        StartReason::Qualification if unpaid => format!(
            "Once qualified, most people start at entry level, where {} roles pay {band}, a \
             midpoint of {mid}.",
            n.t
        ),
        StartReason::Qualification => format!(
            "Trainees are paid from the first day, on {} entry-level pay of {band}, a midpoint \
             of {mid}.",
            n.t
        ),
    };
    let mut out = vec![format!(
        "{level} As {} at mid level, you earn around {}, a midpoint of {}.",
        n.a_f,
        pounds_range(s.current.min, s.current.max),
        pounds(s.current_midpoint),
    )];
    let diff = pounds(s.change.abs());
    let pct = s.change_percent.abs();
    match s.direction {
        PayDirection::Rise => {
            out.push(format!(
                "That is a pay rise {}: about {diff} ({pct}%) more a year.",
                if unpaid {
                    "once you qualify"
                } else {
                    "from your first day in the new role"
                }
            ));
            if pct >= 50 && route.is_none() {
                out.push(
                    "A rise this large is worth checking against real adverts: note what each \
                     one asks for in experience, not just in skills."
                        .to_owned(),
                );
            }
        }
        PayDirection::Similar => out.push(match s.change {
            0 => "That is about the same as what you earn now.".to_owned(),
            c => format!(
                "That is within {SIMILAR_PAY_PERCENT}% of what you earn now: about {diff} a year \
                 {}.",
                if c > 0 { "more" } else { "less" }
            ),
        }),
        PayDirection::Cut => {
            out.push(if s.cut_lasts() {
                format!(
                    "Expect a lasting pay cut: about {diff} ({pct}%) less a year, and even the \
                     senior figures below stay under what you earn now."
                )
            } else {
                format!(
                    "Expect a pay cut at first: about {diff} ({pct}%) less a year while you \
                     build experience in the new role."
                )
            });
            if !s.keeps_three_quarters {
                out.push(format!(
                    "Starting pay would be less than {KEEPS_EARNINGS_PERCENT}% of what you earn \
                     now, so work out what you can live on before you commit."
                ));
            }
        }
    }
    if let (Some(q), Some(r)) = (&tr.to.qualification, route) {
        let cost = format!("The cost to you{} is {}.", where_it_applies(q), r.cost);
        out.push(if unpaid {
            let paid_after = match tr.timeline.paid_training_months {
                0 => String::new(),
                m => format!(
                    ", then {} of paid training",
                    count(m as usize, "month", "months")
                ),
            };
            format!(
                "Before that come {} of full-time study without a salary{paid_after}. {cost} \
                 Help comes from {}.",
                month_count(tr.timeline.unpaid_months),
                r.funding
            )
        } else {
            // The first sentence already says trainees are paid; what is left is the cost.
            cost
        });
    }
    out.push(if s.start_level != Level::Entry {
        format!(
            "Longer term, {} at senior level earns {}.",
            n.a_t,
            pounds_range(s.to_senior.min, s.to_senior.max),
        )
    } else {
        format!(
            "Longer term, {} at mid level earns {} and at senior level {}.",
            n.a_t,
            pounds_range(s.to_mid.min, s.to_mid.max),
            pounds_range(s.to_senior.min, s.to_senior.max),
        )
    });
    out
}

fn salary_rows(tr: &Transition<'_>) -> Vec<SalaryRow> {
    let mut rows = Vec::new();
    for (role, highlight) in [(tr.from, Level::Mid), (tr.to, tr.salary.start_level)] {
        let s = role.salary;
        for (level, band) in [("Entry", s.entry), ("Mid", s.mid), ("Senior", s.senior)] {
            rows.push(SalaryRow {
                role: role.title.clone(),
                level,
                min: band.min,
                max: band.max,
                range: pounds_range(band.min, band.max),
                highlight: highlight.covers(level),
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
        None => match tr.studied_gaps().next() {
            Some(gap) => out.push(format!(
                "With no direct overlap, your examples come from what you have built while \
                 learning. Bring one piece of work that shows {}, and talk through the choices \
                 you made and what you would do differently.",
                lower_first(&gap.skill.name)
            )),
            None => out.push(
                "With no direct overlap, draw your examples from how you work: a time you \
                 handled a difficult person, a time you learned something new quickly, a time \
                 you got something right under pressure. Employers who teach the job from \
                 scratch look for that more than for knowledge."
                    .to_owned(),
            ),
        },
    }
    out
}

fn faq(tr: &Transition<'_>, n: &Names) -> Vec<Faq> {
    struct Qa {
        question: String,
        answer: String,
    }
    let tl = &tr.timeline;
    let s = &tr.salary;
    let range = month_range(tl.total.min, tl.total.max);
    let overlap = match tr.score.percent {
        0 => "no skill overlap".to_owned(),
        // "an 8%", "an 11%", "an 18%", "an 80%": by the sound of the number.
        p @ (8 | 11 | 18 | 80..=89) => format!("an {p}% skill overlap"),
        p => format!("a {p}% skill overlap"),
    };
    let q = tr.to.qualification.as_ref();
    let route = tr.route();
    let mut out = Vec::new();
    let can = match (q, route, tr.difficulty) {
        (Some(q), Some(r), _) => format!(
            "Yes, but not without {}, which most career changers reach through {}. What you \
             bring from your work as {} helps you through it; it does not let you skip it.",
            q.name, r.name, n.a_f
        ),
        (_, _, Difficulty::Close | Difficulty::Moderate) => format!(
            "Yes. It is {} with {overlap}; plan on {range} at about {HOURS_PER_WEEK} hours a \
             week.",
            with_article(tr.difficulty.word()),
        ),
        _ => format!(
            "Yes, but it is {} with {overlap}. Expect {range} at about {HOURS_PER_WEEK} hours a \
             week.",
            with_article(tr.difficulty.word()),
        ),
    };
    out.push(Qa {
        question: format!("Can {} realistically become {}?", n.a_f, n.a_t),
        answer: can,
    });
    out.push(Qa {
        question: format!(
            "How long does it take to become {} after working as {}?",
            n.a_t, n.a_f
        ),
        answer: match route {
            Some(_) if tl.unpaid_months > 0 => format!(
                "Plan on {range} until your first paid day. Most of it is {} of full-time \
                 study, after {} spent applying and waiting for the course to start.",
                month_count(tl.unpaid_months),
                month_range(tl.apply.min, tl.apply.max)
            ),
            Some(_) => format!(
                "Plan on {range} until your first paid day as a trainee. The training itself \
                 then takes {}, on the job and paid.",
                month_count(tl.paid_training_months)
            ),
            None if tl.study_weeks == 0 => format!(
                "Plan on {range}. There is nothing to study before applying, so the time goes \
                 on applications and interviews."
            ),
            None => format!(
                "Plan on {range} at about {HOURS_PER_WEEK} hours a week: roughly {} of study \
                 for what you must show before applying, then applications and interviews.",
                count(tl.study_weeks as usize, "week", "weeks")
            ),
        },
    });
    let level = sentence_case(pay_level(tr));
    let after_study = if tl.unpaid_months > 0 {
        format!(
            " That comes after {} of study without a salary.",
            month_count(tl.unpaid_months)
        )
    } else {
        String::new()
    };
    let (question, answer) = match s.direction {
        PayDirection::Rise => (
            format!("Will I earn more as {}?", n.a_t),
            format!(
                "On advertised pay, yes. {level}, pay has a midpoint of about {}, around {} \
                 ({}%) more than the {} midpoint for {} at mid level.{after_study}",
                pounds(s.starting_midpoint),
                pounds(s.change),
                s.change_percent,
                pounds(s.current_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Similar if s.change == 0 => (
            format!("Will my pay change if I become {}?", n.a_t),
            format!(
                "No. {level}, pay has a midpoint of about {}, the same as for {} at mid level.\
                 {after_study}",
                pounds(s.starting_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Similar => (
            format!("Will my pay change if I become {}?", n.a_t),
            format!(
                "Not by much. {level}, pay has a midpoint of about {}, against {} for {} at mid \
                 level.{after_study}",
                pounds(s.starting_midpoint),
                pounds(s.current_midpoint),
                n.a_f
            ),
        ),
        PayDirection::Cut => {
            let later = if s.start_level != Level::Entry {
                String::new()
            } else {
                format!(
                    " At mid level, {} earns {}.",
                    n.a_t,
                    pounds_range(s.to_mid.min, s.to_mid.max)
                )
            };
            (
                format!("Will I need to take a pay cut to become {}?", n.a_t),
                format!(
                    "{} {level}, pay has a midpoint of about {}, which is {} \
                     ({}%) less than the {} midpoint for {} at mid level.{later}{after_study}",
                    if s.cut_lasts() {
                        "Yes, and experience does not close the gap."
                    } else {
                        "Usually, at first."
                    },
                    pounds(s.starting_midpoint),
                    pounds(s.change.abs()),
                    s.change_percent.abs(),
                    pounds(s.current_midpoint),
                    n.a_f,
                ),
            )
        }
    };
    out.push(Qa { question, answer });
    let screened = tr
        .to
        .skills
        .iter()
        .any(|rs| rs.timing == SkillTiming::BeforeApplying);
    out.push(Qa {
        question: format!("Do I need a qualification to become {}?", n.a_t),
        answer: match (q, route) {
            (Some(q), Some(usual)) => {
                let mut a = format!("Yes: {}.", q.name);
                for (i, o) in q.others().iter().enumerate() {
                    a.push_str(&format!(
                        " {} {}: {}.{}",
                        if i == 0 {
                            "You can also qualify through"
                        } else {
                            "Another route is"
                        },
                        o.name,
                        route_summary(o),
                        if o.degree_required && !usual.degree_required {
                            " It needs a degree."
                        } else {
                            ""
                        }
                    ));
                }
                if q.others().is_empty() {
                    a.push_str(" There is no other route.");
                }
                a.push_str(&format!(
                    " The {} and fees on this page apply {}. {}",
                    if q.routes.len() == 1 {
                        "route"
                    } else {
                        "routes"
                    },
                    q.applies_in,
                    q.elsewhere.trim()
                ));
                a.trim_end().to_owned()
            }
            _ => {
                let lead = if screened {
                    "No formal qualification is required; employers look for evidence of the \
                     skills they screen for."
                } else {
                    "No formal qualification is required."
                };
                format!(
                    "{lead} {}",
                    tr.to.routes_in.first().cloned().unwrap_or_default()
                )
                .trim_end()
                .to_owned()
            }
        },
    });
    let first_studied = tr.studied_gaps().next();
    out.push(Qa {
        question: "What should I learn first?".to_owned(),
        answer: match (route, first_studied) {
            (Some(r), next) => {
                let mut a = format!(
                    "Start with the entry requirements for {}. {}",
                    r.name,
                    r.entry_requirements.trim()
                );
                if let Some(gap) = next {
                    a.push_str(&format!(
                        " Alongside that, {} is worth starting now: about {} at \
                         {HOURS_PER_WEEK} hours a week.",
                        lower_first(&gap.skill.name),
                        count(gap.weeks as usize, "week", "weeks"),
                    ));
                }
                a
            }
            (None, Some(gap)) => format!(
                "Start with {}. It is a {} skill for {} and takes about {} at {HOURS_PER_WEEK} \
                 hours a week. A good way to show it: {}",
                lower_first(&gap.skill.name),
                gap.importance.as_str(),
                n.a_t,
                count(gap.weeks as usize, "week", "weeks"),
                lower_first(&gap.skill.evidence)
            ),
            (None, None) if tr.to_build.is_empty() => "Nothing new on paper. Put your effort \
                 into evidence instead: a CV and examples that show each skill in use."
                .to_owned(),
            (None, None) => "Nothing has to be learnt first: what is missing is taught once you \
                 start. Put your effort into a CV and examples that show how you work."
                .to_owned(),
        },
    });
    out.push(Qa {
        question: format!("Can I prepare while still working as {}?", n.a_f),
        answer: match (q, route) {
            (Some(q), Some(r)) if r.kind == RouteKind::UnpaidStudy => {
                let mut a = format!(
                    "You can meet the entry requirements and apply while you are employed, but \
                     {} is full-time study, so most people leave their job or cut their hours \
                     once it starts.",
                    r.name
                );
                if let Some(paid) = q.others().iter().find(|o| o.kind != RouteKind::UnpaidStudy) {
                    a.push_str(&format!(
                        " {} is the way to keep earning, if you can get a place.",
                        sentence_case(&paid.name)
                    ));
                }
                a
            }
            (Some(_), Some(_)) => "Yes. You keep your current job until the training starts, \
                 and from then on the training is your job, paid from the first day."
                .to_owned(),
            _ => format!(
                "Yes, and most people should. The estimates here assume about {HOURS_PER_WEEK} \
                 hours a week alongside a job, which keeps your income and avoids a gap on \
                 your CV."
            ),
        },
    });
    out.into_iter()
        .map(|qa| Faq::generated(qa.question, qa.answer))
        .collect()
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
pub fn lower_first(s: &str) -> String {
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
    use crate::domain::catalogue::fixtures::{catalogue, qualification, sample};
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
        nurse.qualification = Some(qualification(
            "registration with the NMC",
            RouteKind::UnpaidStudy,
            36,
        ));
        nurse
            .skills
            .iter_mut()
            .for_each(|s| s.timing = SkillTiming::OnTheJob);
        let cat = catalogue(roles);
        // IT support shares k, l, j (core) and h, i (supporting) with the nurse profile.
        let g = guide(&cat, "it-support", "nurse");
        let text = all_text(&g);
        assert!(
            g.realistic[0].starts_with("On skills alone this would be a close move: 5 of the 6"),
            "{text}"
        );
        assert!(text.contains(
            "What makes it a long route is the qualification: 36 months (3 years) of full-time \
             study"
        ));
        assert!(text.contains(
            "Yes, but not without registration with the NMC, which most career changers reach \
             through an approved course."
        ));
        assert!(text.contains("40–48 months (about 3½ to 4 years)"));
        assert_eq!(
            g.facts.paid_training.as_deref(),
            Some("No: 36 months (3 years) of full-time study")
        );
        assert_eq!(g.to_build[0].timing, "taught in training");
        assert!(g.to_build[0].effort.is_none());
        assert!(
            g.to_build[0].evidence.is_none(),
            "nothing to show before applying"
        );
        assert!(
            g.meta_description
                .contains("to a paid post, training included")
        );
        assert!(!g.meta_description.contains("hours a week"));
        assert_eq!(g.plan_cta, "Plan your first 12 months");
        // Fees and funding are said once, in the pay section, with where they apply.
        assert_eq!(text.matches("£9,790 a year in tuition fees").count(), 1);
        assert!(text.contains("The cost to you in England is £9,790"));
    }

    #[test]
    fn similar_pay_says_which_way_without_rise_or_cut() {
        let mut roles = sample().roles;
        let it = roles.iter_mut().find(|r| r.slug == "it-support").unwrap();
        // IT support holds every core nurse skill, so the comparison is mid level with mid
        // level: 41,500 against the nurse's 41,000.
        it.salary.mid = crate::domain::catalogue::Band {
            min: 38_000,
            max: 45_000,
        };
        it.salary.senior = crate::domain::catalogue::Band {
            min: 45_000,
            max: 50_000,
        };
        let cat = catalogue(roles);
        let g = guide(&cat, "it-support", "nurse");
        let text = all_text(&g).to_lowercase();
        assert!(
            text.contains("within 10% of what you earn now: about £500 a year less"),
            "{text}"
        );
        assert!(text.contains("with this overlap, most people enter at mid level"));
        assert_eq!(g.facts.pay_change, "About the same");
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
    #[test]
    fn paid_training_is_not_study_and_starts_the_clock_on_day_one() {
        let mut roles = sample().roles;
        let nurse = roles.iter_mut().find(|r| r.slug == "nurse").unwrap();
        nurse.qualification = Some(qualification(
            "constable training",
            RouteKind::PaidTraining,
            24,
        ));
        nurse
            .skills
            .iter_mut()
            .for_each(|s| s.timing = SkillTiming::OnTheJob);
        let cat = catalogue(roles);
        let g = guide(&cat, "cloud-engineer", "nurse");
        let text = all_text(&g);
        assert_eq!(
            g.facts.paid_training.as_deref(),
            Some("Yes, from the first day")
        );
        assert_eq!(g.facts.timeline, "4–12 months");
        assert_eq!(g.facts.pay_level, "as a trainee");
        assert!(
            text.contains("Trainees are paid from the first day"),
            "{text}"
        );
        assert!(text.contains("The cost to you in England is £9,790"));
        assert!(text.contains("then 24 months (2 years) of training on the job"));
        assert!(!text.contains("without a salary"));
        assert!(!text.contains("cannot make you"));
        assert_eq!(g.plan_cta, "Build a 6–12 month plan");
    }

    #[test]
    fn the_plan_offered_fits_the_timeline() {
        let cat = sample();
        // Every skill shared: only applying is left.
        assert_eq!(
            guide(&cat, "cloud-engineer", "twin").plan_cta,
            "Build a short plan to apply"
        );
        assert_eq!(
            guide(&cat, "cloud-engineer", "backend-developer").plan_cta,
            "Build a 6–12 month plan"
        );
    }

    #[test]
    fn skills_learned_on_the_job_take_no_study_time_and_need_no_evidence() {
        let cat = sample();
        let g = guide(&cat, "cloud-engineer", "backend-developer");
        assert!(g.build_intro.starts_with(
            "There are 4 skills to build: 2 to show before you apply, and 2 taught once you \
             start."
        ));
        let (shown, taught): (Vec<_>, Vec<_>) = g
            .to_build
            .iter()
            .partition(|b| b.timing == "before applying");
        assert_eq!(shown.len(), 2);
        assert!(
            shown
                .iter()
                .all(|b| b.effort.is_some() && b.evidence.is_some())
        );
        assert!(
            taught
                .iter()
                .all(|b| b.timing == "on the job" && b.effort.is_none())
        );
        // The list's weeks add up to the timeline's, and the FAQ quotes the same figure.
        assert_eq!(
            g.to_build[0].effort.as_deref(),
            Some("About 10 weeks at 10 hours a week")
        );
        let first = &g
            .faq
            .iter()
            .find(|f| f.question == "What should I learn first?")
            .unwrap();
        assert!(
            first.answer.contains("takes about 10 weeks"),
            "{}",
            first.answer
        );
        assert!(all_text(&g).contains("take roughly 21 weeks"));
    }

    #[test]
    fn a_related_skill_is_named_where_it_shortens_the_study() {
        let cat = sample();
        let mut skills = cat.skills.clone();
        for s in skills.iter_mut().filter(|s| s.slug == "a" || s.slug == "g") {
            s.family = Some("programming-languages".into());
        }
        let cat = Catalogue::new(cat.sectors.clone(), skills, cat.roles.clone()).unwrap();
        let g = guide(&cat, "cloud-engineer", "backend-developer");
        assert_eq!(
            g.to_build[0].effort.as_deref(),
            Some("About 5 weeks at 10 hours a week (you already use A)")
        );
        assert!(
            all_text(&g).contains("The estimate halves the time for G, because you already use A.")
        );
    }

    #[test]
    fn both_pay_bases_are_named_or_one_when_shared() {
        let cat = sample();
        let g = guide(&cat, "cloud-engineer", "backend-developer");
        assert_eq!(g.pay_basis.len(), 1);
        assert_eq!(g.pay_basis[0].label, "Both roles");
        let mut roles = sample().roles;
        let nurse = roles.iter_mut().find(|r| r.slug == "nurse").unwrap();
        nurse.pay_basis = "NHS Agenda for Change pay in England.".into();
        let cat = catalogue(roles);
        let g = guide(&cat, "cloud-engineer", "nurse");
        assert_eq!(g.pay_basis.len(), 2);
        assert_eq!(g.pay_basis[0].label, "Registered Nurse");
    }
}
