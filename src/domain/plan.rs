//! A 6–12 month plan for one move: the milestones, their dates, and what does not fit.
//! Pure and deterministic: the same request always gives the same plan.

use chrono::{Days, Months, NaiveDate};

use super::catalogue::Importance;
use super::text::{in_sentence, with_article};
use super::transition::{HOURS_PER_WEEK, Transition};

pub const MIN_MONTHS: u32 = 6;
pub const MAX_MONTHS: u32 = 12;
pub const MIN_HOURS: u32 = 1;
pub const MAX_HOURS: u32 = 40;

/// Weeks at the end of the plan for a project that joins the old and new skills.
const PORTFOLIO_WEEKS: u32 = 4;
/// Weeks at the very end for applications and interviews (or the course application).
const APPLY_WEEKS: u32 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MilestoneKind {
    Learn,
    Cv,
    Portfolio,
    Network,
    Apply,
    Interview,
    Qualification,
    Custom,
}

impl MilestoneKind {
    pub const ALL: [Self; 8] = [
        Self::Learn,
        Self::Cv,
        Self::Portfolio,
        Self::Network,
        Self::Apply,
        Self::Interview,
        Self::Qualification,
        Self::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learn => "learn",
            Self::Cv => "cv",
            Self::Portfolio => "portfolio",
            Self::Network => "network",
            Self::Apply => "apply",
            Self::Interview => "interview",
            Self::Qualification => "qualification",
            Self::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Learn => "Learning",
            Self::Cv => "CV and profile",
            Self::Portfolio => "Portfolio",
            Self::Network => "Networking",
            Self::Apply => "Applications",
            Self::Interview => "Interviews",
            Self::Qualification => "Qualification",
            Self::Custom => "Your own step",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MilestoneStatus {
    NotStarted,
    InProgress,
    Done,
    Dropped,
}

impl MilestoneStatus {
    pub const ALL: [Self; 4] = [
        Self::NotStarted,
        Self::InProgress,
        Self::Done,
        Self::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Not started",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Dropped => "No longer relevant",
        }
    }

    /// Still something to do.
    pub fn is_open(self) -> bool {
        matches!(self, Self::NotStarted | Self::InProgress)
    }
}

/// Whole percent done: done ÷ (all − no longer relevant). `None` when nothing counts.
pub fn progress(statuses: &[MilestoneStatus]) -> Option<u32> {
    let counted = statuses
        .iter()
        .filter(|s| **s != MilestoneStatus::Dropped)
        .count();
    if counted == 0 {
        return None;
    }
    let done = statuses
        .iter()
        .filter(|s| **s == MilestoneStatus::Done)
        .count();
    Some(((done * 100) / counted) as u32)
}

/// A plan length the user chose: 6 to 12 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanMonths(u32);

impl PlanMonths {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim().parse::<u32>() {
            Ok(m) if (MIN_MONTHS..=MAX_MONTHS).contains(&m) => Ok(Self(m)),
            _ => Err("Choose a length between 6 and 12 months."),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Hours a week the user can give: 1 to 40.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursPerWeek(u32);

impl HoursPerWeek {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim().parse::<u32>() {
            Ok(h) if (MIN_HOURS..=MAX_HOURS).contains(&h) => Ok(Self(h)),
            _ => Err("Enter a whole number of hours a week between 1 and 40."),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A date typed into a form as YYYY-MM-DD (what `<input type="date">` sends).
pub fn parse_date(raw: &str) -> Result<Option<NaiveDate>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| "Enter a date as year-month-day, for example 2027-03-31.")
}

/// The last day of a plan that starts on `start` and runs `months`.
pub fn end_date(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(start)
}

/// A skill the target role needs and the user does not have yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillToBuild {
    pub slug: String,
    pub name: String,
    /// Weeks at `HOURS_PER_WEEK` (10 hours a week).
    pub learn_weeks: u32,
    /// Something a hiring manager could look at.
    pub evidence: String,
    pub core: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualificationStep {
    pub name: String,
    pub route: String,
    pub months: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRequest {
    pub from_title: String,
    pub to_title: String,
    /// Core first, in the order they should be learnt.
    pub skills: Vec<SkillToBuild>,
    pub qualification: Option<QualificationStep>,
    pub start: NaiveDate,
    pub months: PlanMonths,
    pub hours_per_week: HoursPerWeek,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMilestone {
    pub kind: MilestoneKind,
    pub title: String,
    pub detail: String,
    pub skill_slug: Option<String>,
    /// Both `None`: after this plan.
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
}

impl PlannedMilestone {
    /// What identifies "the same step" between two generations of a plan.
    pub fn key(&self) -> (MilestoneKind, Option<&str>) {
        (self.kind, self.skill_slug.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDraft {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Dated milestones in date order, then the skills after this plan.
    pub milestones: Vec<PlannedMilestone>,
    /// The skills that did not fit at the chosen hours.
    pub after_plan: Vec<String>,
    /// When some did not fit: the fewest hours a week that would fit them all, if any
    /// number up to `MAX_HOURS` does.
    pub hours_to_fit: Option<u32>,
}

impl PlanDraft {
    pub fn fits(&self) -> bool {
        self.after_plan.is_empty()
    }
}

/// Weeks a skill takes at `hours` a week.
pub fn weeks_needed(learn_weeks: u32, hours: u32) -> u32 {
    (learn_weeks * HOURS_PER_WEEK).div_ceil(hours.max(1))
}

/// Whole weeks in the plan; a part week at the end goes to the last block.
fn whole_weeks(start: NaiveDate, end: NaiveDate) -> u32 {
    let days = (end - start).num_days() + 1;
    u32::try_from(days / 7).unwrap_or(0)
}

/// Weeks at the chosen hours. `learn_weeks` is already the study the guide counts for
/// the gap (supporting skills to half depth, less with a head start).
fn skill_weeks(skill: &SkillToBuild, hours: u32) -> u32 {
    weeks_needed(skill.learn_weeks, hours)
}

fn learning_capacity_weeks(start: NaiveDate, end: NaiveDate) -> u32 {
    whole_weeks(start, end).saturating_sub(PORTFOLIO_WEEKS + APPLY_WEEKS)
}

fn all_fit(skills: &[SkillToBuild], hours: u32, capacity: u32) -> bool {
    skills.iter().map(|s| skill_weeks(s, hours)).sum::<u32>() <= capacity
}

/// The request for a move as the guide analyses it: the skills to show before applying,
/// each with the weeks the guide gives it. Skills learned on the job, or taught by the
/// qualification, are left to them.
pub fn request_for(
    transition: &Transition<'_>,
    start: NaiveDate,
    months: PlanMonths,
    hours_per_week: HoursPerWeek,
) -> PlanRequest {
    PlanRequest {
        from_title: transition.from.title.clone(),
        to_title: transition.to.title.clone(),
        skills: transition
            .studied_gaps()
            .filter(|g| g.weeks > 0)
            .map(|g| SkillToBuild {
                slug: g.skill.slug.clone(),
                name: g.skill.name.clone(),
                learn_weeks: g.weeks,
                evidence: g.skill.evidence.clone(),
                core: g.importance == Importance::Core,
            })
            .collect(),
        qualification: transition
            .to
            .qualification
            .as_ref()
            .map(|q| QualificationStep {
                name: q.name.clone(),
                route: q.usual().name.clone(),
                months: q.usual().months,
            }),
        start,
        months,
        hours_per_week,
    }
}

pub fn generate(req: &PlanRequest) -> PlanDraft {
    let start = req.start;
    let end = end_date(start, req.months.get());
    let hours = req.hours_per_week.get();
    let capacity = learning_capacity_weeks(start, end);
    let total_weeks = whole_weeks(start, end);
    let week = |w: u32| start + Days::new(u64::from(w) * 7);
    // A span of whole weeks [from, to), kept inside the plan.
    let span = |from: u32, to: u32| {
        let s = week(from).min(end);
        let d = if to >= total_weeks {
            end
        } else {
            (week(to.max(from + 1)) - Days::new(1)).min(end)
        };
        (Some(s), Some(d))
    };

    let mut dated: Vec<PlannedMilestone> = Vec::new();
    let mut push = |kind,
                    title: String,
                    detail: String,
                    skill: Option<String>,
                    dates: (Option<NaiveDate>, Option<NaiveDate>)| {
        dated.push(PlannedMilestone {
            kind,
            title,
            detail,
            skill_slug: skill,
            starts_on: dates.0,
            due_on: dates.1,
        });
    };

    push(
        MilestoneKind::Cv,
        "Reposition your CV and LinkedIn profile".to_owned(),
        format!(
            "Rewrite your headline and summary for {to}, and lead each past job with the work {to} teams would recognise. Evidence: an updated CV and profile a friend in the field has read.",
            to = in_sentence(&req.to_title)
        ),
        None,
        span(0, 2),
    );
    push(
        MilestoneKind::Network,
        format!(
            "Find people who work as {}",
            with_article(&in_sentence(&req.to_title))
        ),
        "Join two groups where people in the role talk shop (a meetup, a Slack or a professional body) and follow the people who post there.".to_owned(),
        None,
        span(1, 4),
    );

    let mut cursor = 0;
    let mut after = Vec::new();
    let mut after_plan = Vec::new();
    let mut stopped = false;
    for skill in &req.skills {
        let need = skill_weeks(skill, hours);
        let title = format!("Learn {}", skill.name);
        let detail = format!("Evidence: {}", skill.evidence);
        if !stopped && cursor + need <= capacity {
            push(
                MilestoneKind::Learn,
                title,
                detail,
                Some(skill.slug.clone()),
                span(cursor, cursor + need),
            );
            cursor += need;
        } else {
            // Keep core-first order: once one skill does not fit, the rest wait too.
            stopped = true;
            after_plan.push(skill.name.clone());
            after.push(PlannedMilestone {
                kind: MilestoneKind::Learn,
                title,
                detail,
                skill_slug: Some(skill.slug.clone()),
                starts_on: None,
                due_on: None,
            });
        }
    }

    let middle = (capacity / 2).max(4);
    push(
        MilestoneKind::Network,
        "Talk to three people already in the role".to_owned(),
        "Ask for twenty minutes each about what the job is really like and how they got in. Note what they would look for in someone changing career.".to_owned(),
        None,
        span(middle.min(capacity), capacity.max(middle + 1)),
    );

    let project_start = capacity;
    let apply_start = capacity + PORTFOLIO_WEEKS;
    let last = apply_start + APPLY_WEEKS;
    match &req.qualification {
        Some(q) => {
            push(
                MilestoneKind::Portfolio,
                "Write your personal statement".to_owned(),
                format!(
                    "Explain why you are moving from {} and what you bring, with examples. Evidence: a statement of about 500 words, read by someone in the field.",
                    req.from_title
                ),
                None,
                span(project_start, apply_start),
            );
            push(
                MilestoneKind::Qualification,
                format!("Apply for your route to {}", q.name),
                format!(
                    "{} Check entry requirements and application deadlines early.",
                    q.route
                ),
                None,
                span(apply_start, last - 2),
            );
            push(
                MilestoneKind::Interview,
                "Prepare for selection interviews".to_owned(),
                "Practise answers on why you are changing career and why this role, out loud, with feedback.".to_owned(),
                None,
                span(apply_start + 2, last - 1),
            );
            push(
                MilestoneKind::Qualification,
                format!("Start your route to {}", q.name),
                format!(
                    "You need it to practise as {}. It takes about {}.",
                    with_article(&in_sentence(&req.to_title)),
                    super::text::count(q.months as usize, "month", "months")
                ),
                None,
                (Some(week(last - 1).min(end)), Some(end)),
            );
        }
        None => {
            push(
                MilestoneKind::Portfolio,
                format!(
                    "Build a project that joins {} and {} work",
                    in_sentence(&req.from_title),
                    in_sentence(&req.to_title)
                ),
                "Pick a problem you know from your current job and solve it with your new skills. Evidence: a finished piece with a short write-up you can link from your CV.".to_owned(),
                None,
                span(project_start, apply_start),
            );
            push(
                MilestoneKind::Apply,
                format!("Apply for {} roles", in_sentence(&req.to_title)),
                "Aim for a few well-matched applications a week, each with a CV tailored to the advert.".to_owned(),
                None,
                span(apply_start, last),
            );
            push(
                MilestoneKind::Interview,
                "Prepare for interviews".to_owned(),
                "Practise the questions every career changer meets, out loud, and a technical or scenario question each week.".to_owned(),
                None,
                span(apply_start + 1, last),
            );
        }
    }

    // Date order; the order of creation breaks ties, so the result is stable.
    let mut indexed: Vec<(usize, PlannedMilestone)> = dated.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, m)| (m.starts_on, m.due_on, *i));
    let mut milestones: Vec<PlannedMilestone> = indexed.into_iter().map(|(_, m)| m).collect();
    milestones.extend(after);

    let hours_to_fit = if after_plan.is_empty() {
        None
    } else {
        (hours + 1..=MAX_HOURS).find(|h| all_fit(&req.skills, *h, capacity))
    };
    PlanDraft {
        start,
        end,
        milestones,
        after_plan,
        hours_to_fit,
    }
}

/// The longest title and notes a milestone keeps.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_NOTES_CHARS: usize = 2000;

/// A milestone as typed into the add or edit form, checked against its plan's dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneInput {
    pub title: String,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
    pub status: MilestoneStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MilestoneErrors {
    pub title: Option<String>,
    pub dates: Option<String>,
    pub notes: Option<String>,
    pub status: Option<String>,
}

impl MilestoneInput {
    pub fn parse(
        title: &str,
        starts_on: &str,
        due_on: &str,
        notes: &str,
        status: &str,
        plan_start: NaiveDate,
        plan_end: NaiveDate,
    ) -> Result<Self, MilestoneErrors> {
        let mut errors = MilestoneErrors::default();
        let title = title.trim();
        if title.is_empty() {
            errors.title = Some("Give the milestone a title.".into());
        } else if title.chars().count() > MAX_TITLE_CHARS {
            errors.title = Some(format!(
                "Keep the title under {MAX_TITLE_CHARS} characters."
            ));
        }
        let notes = notes.trim();
        if notes.chars().count() > MAX_NOTES_CHARS {
            errors.notes = Some(format!("Keep notes under {MAX_NOTES_CHARS} characters."));
        }
        let status = MilestoneStatus::parse(status.trim());
        if status.is_none() {
            errors.status = Some("Choose a status from the list.".into());
        }
        let dates = match (parse_date(starts_on), parse_date(due_on)) {
            (Err(e), _) | (_, Err(e)) => Err(e.to_owned()),
            (Ok(None), Ok(None)) => Ok((None, None)),
            (Ok(Some(_)), Ok(None)) | (Ok(None), Ok(Some(_))) => Err(
                "Give both a start and a due date, or leave both empty for after this plan."
                    .to_owned(),
            ),
            (Ok(Some(s)), Ok(Some(d))) if d < s => {
                Err("The due date must be on or after the start date.".to_owned())
            }
            (Ok(Some(s)), Ok(Some(d))) if s < plan_start || d > plan_end => Err(format!(
                "Choose dates inside the plan, from {} to {}.",
                plan_start.format("%-d %B %Y"),
                plan_end.format("%-d %B %Y")
            )),
            (Ok(Some(s)), Ok(Some(d))) => Ok((Some(s), Some(d))),
        };
        let (starts_on, due_on) = match dates {
            Ok(d) => d,
            Err(e) => {
                errors.dates = Some(e);
                (None, None)
            }
        };
        match status {
            Some(status) if errors == MilestoneErrors::default() => Ok(Self {
                title: title.to_owned(),
                starts_on,
                due_on,
                notes: notes.to_owned(),
                status,
            }),
            _ => Err(errors),
        }
    }
}

/// An existing milestone as regeneration sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingMilestone {
    pub id: i32,
    pub kind: MilestoneKind,
    pub skill_slug: Option<String>,
    pub title: String,
    pub detail: String,
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// Edited, added by the user, or progressed past "not started".
    pub touched: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    /// An existing milestone stays as it is.
    Keep(i32),
    /// The draft's milestone at this index is added.
    New(usize),
}

/// What regenerating would do, for the page that asks first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeSummary {
    pub kept: Vec<String>,
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// The key of each milestone with its occurrence among those of the same key, so two
/// networking steps match two networking steps.
fn keyed<'a, I>(items: I) -> Vec<(MilestoneKind, Option<&'a str>, usize)>
where
    I: Iterator<Item = (MilestoneKind, Option<&'a str>)>,
{
    let mut seen: std::collections::HashMap<(MilestoneKind, Option<&str>), usize> =
        std::collections::HashMap::new();
    items
        .map(|(kind, slug)| {
            let n = seen.entry((kind, slug)).or_insert(0);
            *n += 1;
            (kind, slug, *n)
        })
        .collect()
}

/// The new order of a regenerated plan. With `keep_touched`, milestones the user edited,
/// added or progressed stay (the draft's version of the same step is not added); without
/// it, the draft replaces everything. Untouched milestones are always replaced.
pub fn merge(
    existing: &[ExistingMilestone],
    draft: &PlanDraft,
    keep_touched: bool,
) -> (Vec<Merged>, MergeSummary) {
    let existing_keys = keyed(existing.iter().map(|m| (m.kind, m.skill_slug.as_deref())));
    let draft_keys = keyed(draft.milestones.iter().map(PlannedMilestone::key));
    let kept: Vec<usize> = (0..existing.len())
        .filter(|i| keep_touched && existing[*i].touched)
        .collect();
    let mut summary = MergeSummary::default();
    let mut slots: Vec<(Option<NaiveDate>, usize, Merged)> = Vec::new();
    let mut used = vec![false; existing.len()];
    for (d, m) in draft.milestones.iter().enumerate() {
        let key = draft_keys[d];
        if let Some(&e) = kept
            .iter()
            .find(|e| existing_keys[**e] == key && !used[**e])
        {
            used[e] = true;
            slots.push((existing[e].starts_on, d, Merged::Keep(existing[e].id)));
            continue;
        }
        let before = (0..existing.len()).find(|e| existing_keys[*e] == key);
        match before {
            Some(e)
                if existing[e].title == m.title
                    && existing[e].detail == m.detail
                    && existing[e].starts_on == m.starts_on
                    && existing[e].due_on == m.due_on =>
            {
                summary.unchanged += 1
            }
            Some(_) => summary.updated.push(m.title.clone()),
            None => summary.added.push(m.title.clone()),
        }
        slots.push((m.starts_on, d, Merged::New(d)));
    }
    for &e in &kept {
        if !used[e] {
            slots.push((
                existing[e].starts_on,
                usize::MAX,
                Merged::Keep(existing[e].id),
            ));
        }
    }
    for (e, m) in existing.iter().enumerate() {
        if kept.contains(&e) {
            summary.kept.push(m.title.clone());
        } else if !draft_keys.contains(&existing_keys[e]) {
            summary.removed.push(m.title.clone());
        }
    }
    // Dated first, by date; after-this-plan last; ties keep the draft's order.
    slots.sort_by_key(|(date, order, _)| (date.is_none(), *date, *order));
    (slots.into_iter().map(|(_, _, s)| s).collect(), summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(slug: &str, weeks: u32, core: bool) -> SkillToBuild {
        SkillToBuild {
            slug: slug.to_owned(),
            name: slug.to_uppercase(),
            learn_weeks: weeks,
            evidence: format!("a {slug} project"),
            core,
        }
    }

    fn request(skills: Vec<SkillToBuild>, months: u32, hours: u32) -> PlanRequest {
        PlanRequest {
            from_title: "Cloud Engineer".into(),
            to_title: "Backend Developer".into(),
            skills,
            qualification: None,
            start: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            months: PlanMonths::parse(&months.to_string()).unwrap(),
            hours_per_week: HoursPerWeek::parse(&hours.to_string()).unwrap(),
        }
    }

    fn many() -> Vec<SkillToBuild> {
        (0..10)
            .map(|i| skill(&format!("s{i}"), 4 + i, i < 5))
            .collect()
    }

    fn assert_inside(draft: &PlanDraft) {
        for m in &draft.milestones {
            match (m.starts_on, m.due_on) {
                (Some(s), Some(d)) => {
                    assert!(s >= draft.start, "{} starts before the plan", m.title);
                    assert!(d <= draft.end, "{} ends after the plan", m.title);
                    assert!(s <= d, "{} ends before it starts", m.title);
                }
                (None, None) => assert_eq!(m.kind, MilestoneKind::Learn),
                _ => panic!("{} has one date", m.title),
            }
        }
    }

    #[test]
    fn lengths_and_hours_are_bounded() {
        assert!(PlanMonths::parse("5").is_err() && PlanMonths::parse("13").is_err());
        assert!(PlanMonths::parse("x").is_err());
        assert_eq!(PlanMonths::parse(" 6 ").unwrap().get(), 6);
        assert!(HoursPerWeek::parse("0").is_err() && HoursPerWeek::parse("41").is_err());
        assert_eq!(HoursPerWeek::parse("40").unwrap().get(), 40);
        assert_eq!(
            end_date(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(), 1),
            NaiveDate::from_ymd_opt(2027, 2, 27).unwrap()
        );
    }

    #[test]
    fn weeks_scale_with_hours() {
        assert_eq!(weeks_needed(6, 10), 6);
        assert_eq!(weeks_needed(6, 20), 3);
        assert_eq!(weeks_needed(6, 1), 60);
        assert_eq!(weeks_needed(5, 4), 13);
    }

    #[test]
    fn six_and_twelve_months_stay_inside_their_dates() {
        for months in [6, 12] {
            for hours in [1, 10, 20] {
                for skills in [vec![], many()] {
                    let draft = generate(&request(skills, months, hours));
                    assert_eq!(draft.end, end_date(draft.start, months));
                    assert_inside(&draft);
                    assert!(draft.end <= draft.start + Months::new(12));
                }
            }
        }
    }

    #[test]
    fn zero_gaps_still_gives_the_steps_around_learning() {
        let draft = generate(&request(vec![], 6, 10));
        assert!(draft.fits());
        let kinds: Vec<_> = draft.milestones.iter().map(|m| m.kind).collect();
        for kind in [
            MilestoneKind::Cv,
            MilestoneKind::Network,
            MilestoneKind::Portfolio,
            MilestoneKind::Apply,
            MilestoneKind::Interview,
        ] {
            assert!(kinds.contains(&kind), "{kind:?} missing");
        }
        assert!(!kinds.contains(&MilestoneKind::Learn));
        assert_eq!(kinds[0], MilestoneKind::Cv, "CV comes first");
        let apply = draft
            .milestones
            .iter()
            .find(|m| m.kind == MilestoneKind::Apply)
            .unwrap();
        assert_eq!(apply.due_on, Some(draft.end), "applications close the plan");
    }

    #[test]
    fn twenty_hours_fits_what_one_hour_cannot() {
        let skills = vec![
            skill("a", 6, true),
            skill("b", 8, true),
            skill("c", 2, false),
        ];
        let roomy = generate(&request(skills.clone(), 12, 20));
        assert!(roomy.fits());
        let learn: Vec<_> = roomy
            .milestones
            .iter()
            .filter(|m| m.kind == MilestoneKind::Learn)
            .collect();
        assert_eq!(learn.len(), 3);
        // Sequential, each sized from its estimate: 6 weeks at 10 h is 3 weeks at 20 h.
        assert_eq!(
            (learn[0].due_on.unwrap() - learn[0].starts_on.unwrap()).num_days(),
            20
        );
        assert!(learn[1].starts_on > learn[0].due_on);
        // The weeks are the guide's own figure for the gap (a supporting skill already
        // halved there): 2 weeks at 10 h is 1 week at 20 h.
        assert_eq!(
            (learn[2].due_on.unwrap() - learn[2].starts_on.unwrap()).num_days(),
            6
        );

        let tight = generate(&request(skills.clone(), 6, 1));
        assert!(!tight.fits());
        assert_eq!(tight.after_plan, vec!["A", "B", "C"]);
        let hours = tight.hours_to_fit.expect("some hours fit");
        assert!(generate(&request(skills.clone(), 6, hours)).fits());
        assert!(!generate(&request(skills, 6, hours - 1)).fits());
        assert_inside(&tight);
    }

    #[test]
    fn many_gaps_put_the_rest_after_the_plan_in_order() {
        let draft = generate(&request(many(), 6, 10));
        assert!(!draft.fits());
        assert_inside(&draft);
        let undated: Vec<_> = draft
            .milestones
            .iter()
            .filter(|m| m.due_on.is_none())
            .map(|m| m.skill_slug.clone().unwrap())
            .collect();
        assert!(!undated.is_empty());
        assert_eq!(
            undated.last().map(String::as_str),
            Some("s9"),
            "undated keep the gap order"
        );
        let tail = &draft.milestones[draft.milestones.len() - undated.len()..];
        assert!(tail.iter().all(|m| m.due_on.is_none()), "undated come last");
        // Dated ones are in date order.
        let dated: Vec<_> = draft
            .milestones
            .iter()
            .filter_map(|m| m.starts_on)
            .collect();
        assert!(dated.windows(2).all(|w| w[0] <= w[1]));
        // Nothing fits this many at 40 hours in 6 months? Then no number is offered.
        if let Some(h) = draft.hours_to_fit {
            assert!(generate(&request(many(), 6, h)).fits());
        }
    }

    #[test]
    fn same_input_same_plan() {
        let a = generate(&request(many(), 9, 7));
        let b = generate(&request(many(), 9, 7));
        assert_eq!(a, b);
    }

    #[test]
    fn a_regulated_target_ends_in_starting_the_qualification() {
        let mut req = request(vec![skill("a", 4, true)], 9, 10);
        req.qualification = Some(QualificationStep {
            name: "a nursing degree".into(),
            route: "UCAS".into(),
            months: 36,
        });
        let draft = generate(&req);
        assert_inside(&draft);
        let last = draft.milestones.last().unwrap();
        assert_eq!(last.kind, MilestoneKind::Qualification);
        assert_eq!(last.title, "Start your route to a nursing degree");
        assert_eq!(last.due_on, Some(draft.end));
        assert!(
            !draft
                .milestones
                .iter()
                .any(|m| m.kind == MilestoneKind::Apply),
            "no job applications before the qualification"
        );
    }

    #[test]
    fn progress_leaves_out_what_no_longer_applies() {
        use MilestoneStatus::*;
        assert_eq!(progress(&[]), None);
        assert_eq!(progress(&[Dropped]), None);
        assert_eq!(progress(&[Done, NotStarted, Dropped, InProgress]), Some(33));
        assert_eq!(progress(&[Done, Dropped]), Some(100));
    }

    fn existing_from(draft: &PlanDraft) -> Vec<ExistingMilestone> {
        draft
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| ExistingMilestone {
                id: i as i32 + 1,
                kind: m.kind,
                skill_slug: m.skill_slug.clone(),
                title: m.title.clone(),
                detail: m.detail.clone(),
                starts_on: m.starts_on,
                due_on: m.due_on,
                touched: false,
            })
            .collect()
    }

    #[test]
    fn regenerating_keeps_what_the_user_touched_unless_told() {
        let draft = generate(&request(vec![skill("a", 4, true)], 9, 10));
        let mut existing = existing_from(&draft);
        let (_, same) = merge(&existing, &draft, true);
        assert_eq!(same.unchanged, draft.milestones.len());
        assert!(same.added.is_empty() && same.removed.is_empty() && same.kept.is_empty());

        // The user renamed the learning step and added one of their own.
        let learn = existing
            .iter()
            .position(|m| m.kind == MilestoneKind::Learn)
            .unwrap();
        existing[learn].title = "SQL evening course".into();
        existing[learn].touched = true;
        existing.push(ExistingMilestone {
            id: 99,
            kind: MilestoneKind::Custom,
            skill_slug: None,
            title: "Visit a careers fair".into(),
            detail: String::new(),
            starts_on: None,
            due_on: None,
            touched: true,
        });
        let content_changed = generate(&request(
            vec![skill("a", 4, true), skill("b", 2, false)],
            9,
            10,
        ));
        let (slots, summary) = merge(&existing, &content_changed, true);
        assert!(slots.contains(&Merged::Keep(existing[learn].id)));
        assert!(slots.contains(&Merged::Keep(99)));
        assert_eq!(
            summary.kept,
            vec!["SQL evening course", "Visit a careers fair"]
        );
        assert_eq!(summary.added, vec!["Learn B"]);
        assert_eq!(
            slots.len(),
            content_changed.milestones.len() + 1,
            "no duplicate of the kept step"
        );

        let (replaced, _) = merge(&existing, &content_changed, false);
        assert!(replaced.iter().all(|s| matches!(s, Merged::New(_))));
        assert_eq!(replaced.len(), content_changed.milestones.len());
    }

    #[test]
    fn milestone_input_is_checked_against_the_plan() {
        let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
        let end = end_date(start, 6);
        let ok = MilestoneInput::parse(
            " Course ",
            "2027-02-01",
            "2027-03-01",
            "",
            "done",
            start,
            end,
        )
        .unwrap();
        assert_eq!(ok.title, "Course");
        assert_eq!(ok.status, MilestoneStatus::Done);
        let undated =
            MilestoneInput::parse("Later", "", "", "", "not_started", start, end).unwrap();
        assert_eq!(undated.due_on, None);
        let bad = MilestoneInput::parse("", "2026-12-01", "2027-03-01", "", "nope", start, end)
            .unwrap_err();
        assert!(bad.title.is_some() && bad.dates.is_some() && bad.status.is_some());
        assert!(
            MilestoneInput::parse("x", "2027-03-01", "2027-02-01", "", "done", start, end).is_err()
        );
        assert!(
            MilestoneInput::parse("x", "2027-03-01", "2027-09-01", "", "done", start, end).is_err()
        );
        assert!(MilestoneInput::parse("x", "2027-03-01", "", "", "done", start, end).is_err());
    }
}
