//! What a move from one role to another involves: the skills that carry over, the gaps and
//! whether each must be shown before applying or is learned on the job, an overlap score, the
//! level most people start at, a timeline to the first paid day in the new role, and the pay
//! effect compared like for like.
//!
//! The timeline is built in phases a plan can follow: study for what must be shown before
//! applying, applying and waiting for a start date, then any full-time unpaid study the
//! qualification route demands. Paid training after that first day is kept apart, because
//! you are already earning in the role.

use super::catalogue::{
    Band, Catalogue, EntryRoute, Importance, MonthRange, Role, RoleSkill, Skill, SkillCategory,
    SkillTiming,
};
use super::money::percent;

/// The study pace every estimate assumes; pages state it next to each figure.
pub const HOURS_PER_WEEK: u32 = 10;
/// A move "keeps earnings" when the new starting midpoint is at least this share of now.
pub const KEEPS_EARNINGS_PERCENT: i64 = 75;
/// Advertised bands are wide, so midpoints closer than this share count as the same pay.
pub const SIMILAR_PAY_PERCENT: i64 = 10;
/// With this much overlap most people are hired at mid level: the skills they still need are
/// learned before applying, and the rest of their experience counts.
pub const MID_LEVEL_OVERLAP: u32 = 60;
/// Within one sector, with this much overlap most people are hired between entry and mid
/// level.
pub const SECTOR_CREDIT_OVERLAP: u32 = 35;
/// Applying and interviewing for a job once you are ready.
pub const JOB_SEARCH_MONTHS: MonthRange = MonthRange::new(2, 4);

#[derive(Debug, Clone)]
pub struct Transition<'a> {
    pub from: &'a Role,
    pub to: &'a Role,
    pub same_sector: bool,
    /// Same sector, and your mid-level pay is above the target's whole mid band: you already
    /// work at a more senior level, so the sector's technical ground is familiar.
    pub steps_down: bool,
    pub transferable: Vec<SharedSkill<'a>>,
    /// Skills to show before applying come first, then those learned on the job; core
    /// before supporting within each.
    pub to_build: Vec<Gap<'a>>,
    pub score: Overlap,
    /// The harder of the two verdicts below.
    pub difficulty: Difficulty,
    /// What the overlap alone would say.
    pub difficulty_by_skills: Difficulty,
    /// What the timeline alone would say.
    pub difficulty_by_time: Difficulty,
    pub timeline: Timeline<'a>,
    pub salary: SalaryComparison,
}

impl Transition<'_> {
    /// Core skills of the target that the source does not have.
    pub fn core_gaps(&self) -> usize {
        self.to_build
            .iter()
            .filter(|g| g.importance == Importance::Core)
            .count()
    }

    /// Gaps that take study time before you can apply.
    pub fn studied_gaps(&self) -> impl Iterator<Item = &Gap<'_>> {
        self.to_build
            .iter()
            .filter(|g| g.timing == SkillTiming::BeforeApplying)
    }

    /// The qualification route the timeline follows, if the target needs one.
    pub fn route(&self) -> Option<&EntryRoute> {
        self.timeline.route
    }
}

/// A skill both roles use, and how each uses it.
#[derive(Debug, Clone)]
pub struct SharedSkill<'a> {
    pub skill: &'a Skill,
    pub importance_in_target: Importance,
    pub as_from: &'a str,
    pub as_to: &'a str,
}

/// A skill the target role needs that the source role does not list.
#[derive(Debug, Clone)]
pub struct Gap<'a> {
    pub skill: &'a Skill,
    pub importance: Importance,
    pub usage: &'a str,
    pub timing: SkillTiming,
    /// Weeks of study at `HOURS_PER_WEEK` this gap adds before applying: none when it is
    /// learned on the job, half the listed time for a supporting skill (the rest grows in
    /// the job), and half again with a head start. Every page shows this one figure.
    pub weeks: u32,
    pub head_start: Option<HeadStart<'a>>,
}

/// Why a gap takes less than a beginner's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadStart<'a> {
    /// You already use a skill of the same family, such as another programming language.
    Related(&'a Skill),
    /// You work in the same sector at a more senior level (see `Transition::steps_down`).
    Seniority,
}

/// Σ weights of the target's skills the source has ÷ Σ weights of all the target's skills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub matched_weight: u32,
    pub total_weight: u32,
    pub percent: u32,
}

/// How hard a move is, in order. A move is rated by the harder of what its overlap says and
/// what its timeline says, so a better overlap and a shorter timeline never read as harder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difficulty {
    Close,
    Moderate,
    Stretching,
    FreshStart,
    /// More than two years before the first paid day, usually because of a qualification.
    LongRoute,
}

impl Difficulty {
    pub fn word(self) -> &'static str {
        match self {
            Self::Close => "close move",
            Self::Moderate => "moderate move",
            Self::Stretching => "stretching move",
            Self::FreshStart => "fresh start",
            Self::LongRoute => "long route",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Close => "Close move",
            Self::Moderate => "Moderate move",
            Self::Stretching => "Stretching move",
            Self::FreshStart => "Fresh start",
            Self::LongRoute => "Long route",
        }
    }
}

/// The verdict of the overlap alone.
pub fn difficulty_by_skills(score: u32) -> Difficulty {
    match score {
        60.. => Difficulty::Close,
        35..=59 => Difficulty::Moderate,
        15..=34 => Difficulty::Stretching,
        _ => Difficulty::FreshStart,
    }
}

/// The verdict of the timeline alone, from its upper end.
pub fn difficulty_by_time(max_months: u32) -> Difficulty {
    match max_months {
        ..=6 => Difficulty::Close,
        7..=12 => Difficulty::Moderate,
        13..=24 => Difficulty::Stretching,
        _ => Difficulty::LongRoute,
    }
}

/// From today to the first paid day in the new role, in phases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeline<'a> {
    /// Study for the gaps that must be shown before applying, at `HOURS_PER_WEEK`.
    pub study_weeks: u32,
    /// That study in months, with slack for weeks when it slips.
    pub prepare: MonthRange,
    /// From applying to the first day: a job search, or a route's selection and intake.
    pub apply: MonthRange,
    /// Full-time study without a salary after being accepted.
    pub unpaid_months: u32,
    /// Paid training after the first day, until fully qualified.
    pub paid_training_months: u32,
    /// `prepare` + `apply` + `unpaid_months`.
    pub total: MonthRange,
    /// The qualification route followed, when the target needs one.
    pub route: Option<&'a EntryRoute>,
}

/// The level most people are hired at in the new role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Entry,
    /// Somewhere across the top of the entry band and the bottom of the mid band: pay is
    /// taken as halfway between the two bands' midpoints.
    BetweenEntryAndMid,
    Mid,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Self::Entry => "entry level",
            Self::BetweenEntryAndMid => "between entry and mid level",
            Self::Mid => "mid level",
        }
    }

    /// Whether a salary-table row ("Entry", "Mid", "Senior") is where this level sits.
    pub fn covers(self, row: &str) -> bool {
        match self {
            Self::Entry => row == "Entry",
            Self::BetweenEntryAndMid => row == "Entry" || row == "Mid",
            Self::Mid => row == "Mid",
        }
    }
}

/// Why most people start at the level they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartReason {
    /// The qualification route starts everyone as a trainee or newly qualified.
    Qualification,
    /// At least `MID_LEVEL_OVERLAP` overlap.
    Overlap,
    /// At least `SECTOR_CREDIT_OVERLAP` overlap within the same sector: experience of the
    /// sector counts for part of the new role.
    SectorExperience,
    /// Core skills still to learn, or too little overlap, to be hired above entry level.
    Gaps,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayDirection {
    Rise,
    Similar,
    Cut,
}

/// Pay now (the source's mid band) against pay at the level you would likely start at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalaryComparison {
    pub current: Band,
    pub current_midpoint: i64,
    pub start_level: Level,
    pub start_reason: StartReason,
    /// The band you would start in; between entry and mid level it spans both.
    pub start: Band,
    pub starting_midpoint: i64,
    pub change: i64,
    pub change_percent: i64,
    pub direction: PayDirection,
    pub keeps_three_quarters: bool,
    pub to_mid: Band,
    pub to_senior: Band,
}

impl SalaryComparison {
    /// A cut that experience does not close: even the target's senior band sits below pay
    /// now, as in a step down from teacher to teaching assistant.
    pub fn cut_lasts(&self) -> bool {
        self.direction == PayDirection::Cut && self.to_senior.midpoint() < self.current_midpoint
    }
}

pub fn analyse<'a>(catalogue: &'a Catalogue, from: &'a Role, to: &'a Role) -> Transition<'a> {
    let same_sector = from.sector == to.sector;
    let steps_down = same_sector && from.salary.mid.min >= to.salary.mid.max;
    let mut transferable = Vec::new();
    let mut to_build = Vec::new();
    let mut matched_weight = 0;
    let mut total_weight = 0;
    for target in &to.skills {
        total_weight += target.importance.weight();
        let skill = catalogue.skill_of(target);
        match from.has_skill(&target.skill) {
            Some(source) => {
                matched_weight += target.importance.weight();
                transferable.push(shared(skill, source, target));
            }
            None => to_build.push(gap(catalogue, from, steps_down, skill, target)),
        }
    }
    // The authored order within each group keeps the role's emphasis.
    transferable.sort_by_key(|s| s.importance_in_target);
    to_build.sort_by_key(|g| (g.timing, g.importance));

    let score = overlap(matched_weight, total_weight);
    let timeline = timeline(&to_build, to);
    let by_skills = difficulty_by_skills(score.percent);
    let by_time = difficulty_by_time(timeline.total.max);
    Transition {
        from,
        to,
        same_sector,
        steps_down,
        difficulty: by_skills.max(by_time),
        difficulty_by_skills: by_skills,
        difficulty_by_time: by_time,
        salary: compare_salary(from, to, start_level(to, score.percent, same_sector)),
        timeline,
        transferable,
        to_build,
        score,
    }
}

/// `analyse` for one person: `from` holds their own skills (see `Profile::as_role`), and
/// the gaps they are already learning take about half the usual study time.
pub fn analyse_person<'a>(
    catalogue: &'a Catalogue,
    from: &'a Role,
    to: &'a Role,
    learning: &std::collections::HashSet<String>,
) -> Transition<'a> {
    let mut t = analyse(catalogue, from, to);
    if t.to_build.iter().any(|g| learning.contains(&g.skill.slug)) {
        for gap in &mut t.to_build {
            if learning.contains(&gap.skill.slug) {
                gap.weeks = gap.weeks.div_ceil(2);
            }
        }
        t.timeline = timeline(&t.to_build, to);
        t.difficulty_by_time = difficulty_by_time(t.timeline.total.max);
        t.difficulty = t.difficulty_by_skills.max(t.difficulty_by_time);
    }
    t
}

fn shared<'a>(skill: &'a Skill, source: &'a RoleSkill, target: &'a RoleSkill) -> SharedSkill<'a> {
    SharedSkill {
        skill,
        importance_in_target: target.importance,
        as_from: &source.usage,
        as_to: &target.usage,
    }
}

fn gap<'a>(
    catalogue: &'a Catalogue,
    from: &'a Role,
    steps_down: bool,
    skill: &'a Skill,
    target: &'a RoleSkill,
) -> Gap<'a> {
    let head_start = if target.timing == SkillTiming::OnTheJob {
        None
    } else {
        related_skill(catalogue, from, skill)
            .map(HeadStart::Related)
            .or((steps_down && skill.category == SkillCategory::Technical)
                .then_some(HeadStart::Seniority))
    };
    Gap {
        skill,
        importance: target.importance,
        usage: &target.usage,
        timing: target.timing,
        weeks: study_weeks(
            skill,
            target.importance,
            target.timing,
            head_start.is_some(),
        ),
        head_start,
    }
}

/// A skill of `from` in the same family as `skill`, in `from`'s own order.
fn related_skill<'a>(catalogue: &'a Catalogue, from: &'a Role, skill: &Skill) -> Option<&'a Skill> {
    let family = skill.family.as_deref()?;
    from.skills
        .iter()
        .map(|rs| catalogue.skill_of(rs))
        .find(|s| s.slug != skill.slug && s.family.as_deref() == Some(family))
}

/// Weeks of study a gap adds before applying.
pub fn study_weeks(
    skill: &Skill,
    importance: Importance,
    timing: SkillTiming,
    head_start: bool,
) -> u32 {
    if timing == SkillTiming::OnTheJob {
        return 0;
    }
    let mut weeks = skill.learn_weeks;
    if importance == Importance::Supporting {
        weeks = weeks.div_ceil(2);
    }
    if head_start {
        weeks = weeks.div_ceil(2);
    }
    weeks
}

/// Study before applying (with half as much again for slack at the top end), then applying,
/// then the route's unpaid study.
pub fn timeline<'a>(gaps: &[Gap<'_>], to: &'a Role) -> Timeline<'a> {
    let study_weeks: u32 = gaps.iter().map(|g| g.weeks).sum();
    let study_months = (study_weeks * 12).div_ceil(52);
    let prepare = MonthRange::new(study_months, study_months + study_months.div_ceil(2));
    let route = to.qualification.as_ref().map(|q| q.usual());
    let (apply, unpaid_months, paid_training_months) = match route {
        Some(r) => (r.apply_months, r.unpaid_months, r.months - r.unpaid_months),
        None => (JOB_SEARCH_MONTHS, 0, 0),
    };
    Timeline {
        study_weeks,
        prepare,
        apply,
        unpaid_months,
        paid_training_months,
        total: prepare.plus(apply).plus_months(unpaid_months),
        route,
    }
}

/// The level most people are hired at. A qualification route starts everyone at entry level
/// (as a trainee or newly qualified); otherwise high overlap means most are hired at mid
/// level, because most of their experience counts, and a moderate overlap in the same
/// sector between entry and mid level.
pub fn start_level(to: &Role, overlap: u32, same_sector: bool) -> (Level, StartReason) {
    if to.qualification.is_some() {
        (Level::Entry, StartReason::Qualification)
    } else if overlap >= MID_LEVEL_OVERLAP {
        (Level::Mid, StartReason::Overlap)
    } else if same_sector && overlap >= SECTOR_CREDIT_OVERLAP {
        (Level::BetweenEntryAndMid, StartReason::SectorExperience)
    } else {
        (Level::Entry, StartReason::Gaps)
    }
}

pub fn compare_salary(
    from: &Role,
    to: &Role,
    (start_level, start_reason): (Level, StartReason),
) -> SalaryComparison {
    let current = from.salary.mid;
    let s = to.salary;
    let (start, starting_midpoint) = match start_level {
        Level::Entry => (s.entry, s.entry.midpoint()),
        Level::BetweenEntryAndMid => (
            Band {
                min: s.entry.min,
                max: s.mid.max,
            },
            (s.entry.midpoint() + s.mid.midpoint()) / 2,
        ),
        Level::Mid => (s.mid, s.mid.midpoint()),
    };
    let current_midpoint = current.midpoint();
    let change = starting_midpoint - current_midpoint;
    let change_percent = percent(change, current_midpoint);
    // Judged on the exact ratio, so 9.6% less is "about the same" rather than a rounded 10%.
    let direction = match change * 100 {
        c if c >= SIMILAR_PAY_PERCENT * current_midpoint => PayDirection::Rise,
        c if c <= -SIMILAR_PAY_PERCENT * current_midpoint => PayDirection::Cut,
        _ => PayDirection::Similar,
    };
    SalaryComparison {
        current,
        current_midpoint,
        start_level,
        start_reason,
        start,
        starting_midpoint,
        change,
        change_percent,
        direction,
        keeps_three_quarters: starting_midpoint * 100 >= current_midpoint * KEEPS_EARNINGS_PERCENT,
        to_mid: to.salary.mid,
        to_senior: to.salary.senior,
    }
}

fn overlap(matched_weight: u32, total_weight: u32) -> Overlap {
    Overlap {
        matched_weight,
        total_weight,
        percent: percent(matched_weight.into(), total_weight.into()).clamp(0, 100) as u32,
    }
}

/// Σ weights in `to` of the skills `from` also has (see `Catalogue::skill_weights`).
fn matched_weight(from: &[(u32, u32)], to: &[(u32, u32)]) -> u32 {
    let (mut i, mut j, mut matched) = (0, 0, 0);
    while i < from.len() && j < to.len() {
        match from[i].0.cmp(&to[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                matched += to[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    matched
}

/// How many of the best moves are kept per live role: enough for the longest list a page
/// shows (six) and the one move it leaves out.
const REMEMBERED_MOVES: usize = 8;

/// Positions in `catalogue.roles` of the `limit` roles with the best overlap moving from
/// `role` (or, with `into`, moving into it), best first. Roles are sorted by title, so
/// ties going to the lower position is the same as ties by title.
fn ranked_positions(catalogue: &Catalogue, role: &Role, into: bool, limit: usize) -> Vec<u32> {
    let table = catalogue.skill_table();
    let computed;
    let mine: &[(u32, u32)] = match catalogue.position_of(role) {
        Some(at) => table.of(at),
        None => {
            computed = catalogue.skill_weights(role);
            &computed
        }
    };
    let my_total: u32 = mine.iter().map(|&(_, w)| w).sum();
    let itself = catalogue.role_position(&role.slug);
    let mut scores: Vec<(u32, u32)> = (0..table.len())
        .filter(|&at| Some(at) != itself)
        .map(|at| {
            let score = if into {
                overlap(matched_weight(table.of(at), mine), my_total)
            } else {
                overlap(matched_weight(mine, table.of(at)), table.total(at))
            };
            (score.percent, u32::try_from(at).unwrap_or(u32::MAX))
        })
        .collect();
    let key = |&(percent, at): &(u32, u32)| (std::cmp::Reverse(percent), at);
    if scores.len() > limit {
        scores.select_nth_unstable_by_key(limit, key);
        scores.truncate(limit);
    }
    scores.sort_unstable_by_key(key);
    scores.into_iter().map(|(_, at)| at).collect()
}

/// One of a role's best-matched moves: the role at the other end, by its position in
/// `Catalogue::roles`, with the overlap and difficulty a list of links shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankedMove {
    pub other: usize,
    pub percent: u32,
    pub difficulty: Difficulty,
}

/// The first `limit` of the ranking leaving out `except`. For a live role the best few
/// are worked out once per catalogue and kept, so a guide's lists cost the same with a
/// thousand roles as with forty.
fn best_moves(
    catalogue: &Catalogue,
    role: &Role,
    into: bool,
    except: Option<&str>,
    limit: usize,
) -> Vec<RankedMove> {
    let work_out = |limit| -> Vec<RankedMove> {
        ranked_positions(catalogue, role, into, limit)
            .into_iter()
            .map(|at| {
                let other = &catalogue.roles[at as usize];
                let t = if into {
                    analyse(catalogue, other, role)
                } else {
                    analyse(catalogue, role, other)
                };
                RankedMove {
                    other: at as usize,
                    percent: t.score.percent,
                    difficulty: t.difficulty,
                }
            })
            .collect()
    };
    let wanted = limit.saturating_add(usize::from(except.is_some()));
    let worked_out;
    let moves: &[RankedMove] = match catalogue.remembered(role) {
        Some(kept) if wanted <= REMEMBERED_MOVES => {
            let cell = if into {
                &kept.moves_into
            } else {
                &kept.moves_from
            };
            cell.get_or_init(|| work_out(REMEMBERED_MOVES))
        }
        _ => {
            worked_out = work_out(wanted);
            &worked_out
        }
    };
    moves
        .iter()
        .filter(|m| Some(catalogue.roles[m.other].slug.as_str()) != except)
        .take(limit)
        .copied()
        .collect()
}

/// The first `limit` of `ranked_from`, leaving out the move to `except`. Moves are ranked
/// on their overlap alone and only those kept are analysed in full.
pub fn best_moves_from(
    catalogue: &Catalogue,
    from: &Role,
    except: Option<&str>,
    limit: usize,
) -> Vec<RankedMove> {
    best_moves(catalogue, from, false, except, limit)
}

/// The first `limit` of `ranked_into`, leaving out the move from `except`.
pub fn best_moves_into(
    catalogue: &Catalogue,
    to: &Role,
    except: Option<&str>,
    limit: usize,
) -> Vec<RankedMove> {
    best_moves(catalogue, to, true, except, limit)
}

/// Other moves out of `from`, best overlap first (ties by title).
pub fn ranked_from<'a>(catalogue: &'a Catalogue, from: &'a Role) -> Vec<Transition<'a>> {
    let mut all: Vec<_> = catalogue
        .roles
        .iter()
        .filter(|r| r.slug != from.slug)
        .map(|to| analyse(catalogue, from, to))
        .collect();
    all.sort_by(|a, b| {
        b.score
            .percent
            .cmp(&a.score.percent)
            .then_with(|| a.to.title.cmp(&b.to.title))
    });
    all
}

/// Other moves into `to`, best overlap first (ties by title).
pub fn ranked_into<'a>(catalogue: &'a Catalogue, to: &'a Role) -> Vec<Transition<'a>> {
    let mut all: Vec<_> = catalogue
        .roles
        .iter()
        .filter(|r| r.slug != to.slug)
        .map(|from| analyse(catalogue, from, to))
        .collect();
    all.sort_by(|a, b| {
        b.score
            .percent
            .cmp(&a.score.percent)
            .then_with(|| a.from.title.cmp(&b.from.title))
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::RouteKind;
    use crate::domain::catalogue::fixtures::{catalogue, qualification, sample};

    fn between<'a>(cat: &'a Catalogue, from: &str, to: &str) -> Transition<'a> {
        analyse(cat, cat.role(from).unwrap(), cat.role(to).unwrap())
    }

    #[test]
    fn score_is_weighted_share_of_target_skills() {
        let cat = sample();
        let t = between(&cat, "cloud-engineer", "backend-developer");
        // Backend weights: a2 g2 h2 d1 i1 j1 = 9; cloud has a (2) and d (1).
        assert_eq!(
            t.score,
            Overlap {
                matched_weight: 3,
                total_weight: 9,
                percent: 33
            }
        );
        assert_eq!(t.transferable.len(), 2);
        assert_eq!(t.transferable[0].skill.slug, "a", "core first");
        assert_eq!(
            t.to_build
                .iter()
                .map(|g| g.skill.slug.as_str())
                .collect::<Vec<_>>(),
            ["g", "h", "i", "j"]
        );
        // The lists behind the score add up to it.
        let matched: u32 = t
            .transferable
            .iter()
            .map(|s| s.importance_in_target.weight())
            .sum();
        let missing: u32 = t.to_build.iter().map(|g| g.importance.weight()).sum();
        assert_eq!(matched, t.score.matched_weight);
        assert_eq!(matched + missing, t.score.total_weight);
    }

    #[test]
    fn score_stays_within_bounds_for_every_pair() {
        let cat = sample();
        for from in &cat.roles {
            for to in &cat.roles {
                let t = analyse(&cat, from, to);
                assert!(t.score.percent <= 100);
                assert!(t.timeline.total.min <= t.timeline.total.max);
                assert_eq!(
                    t.difficulty,
                    t.difficulty_by_skills.max(t.difficulty_by_time)
                );
            }
        }
        let same = between(&cat, "cloud-engineer", "twin");
        assert_eq!(same.score.percent, 100);
        assert!(same.to_build.is_empty());
        assert_eq!(same.difficulty, Difficulty::Close);
        assert_eq!(same.timeline.total, JOB_SEARCH_MONTHS);
    }

    #[test]
    fn zero_overlap_is_a_fresh_start() {
        let cat = sample();
        let t = between(&cat, "cloud-engineer", "nurse");
        assert_eq!(t.score.percent, 0);
        assert!(t.transferable.is_empty());
        assert!(!t.same_sector);
        assert_eq!(t.difficulty, Difficulty::FreshStart);
    }

    #[test]
    fn the_harder_of_overlap_and_time_decides() {
        assert_eq!(difficulty_by_skills(65), Difficulty::Close);
        assert_eq!(difficulty_by_skills(40), Difficulty::Moderate);
        assert_eq!(difficulty_by_skills(20), Difficulty::Stretching);
        assert_eq!(difficulty_by_skills(5), Difficulty::FreshStart);
        assert_eq!(difficulty_by_time(6), Difficulty::Close);
        assert_eq!(difficulty_by_time(12), Difficulty::Moderate);
        assert_eq!(difficulty_by_time(24), Difficulty::Stretching);
        assert_eq!(difficulty_by_time(25), Difficulty::LongRoute);
    }

    #[test]
    fn core_gaps_are_studied_in_full_and_supporting_ones_at_half_depth() {
        let cat = sample();
        // Backend gaps: g (10 weeks, core), h (11, core), i (12, supporting), j (13,
        // supporting). Supporting skills are learned on the job by default.
        let t = between(&cat, "cloud-engineer", "backend-developer");
        let weeks: Vec<_> = t
            .to_build
            .iter()
            .map(|g| (g.skill.slug.as_str(), g.weeks))
            .collect();
        assert_eq!(weeks, [("g", 10), ("h", 11), ("i", 0), ("j", 0)]);
        assert_eq!(t.timeline.study_weeks, 21);
        // 21 weeks is 5 months; slack takes the top to 8, then two to four months applying.
        assert_eq!(t.timeline.prepare, MonthRange::new(5, 8));
        assert_eq!(t.timeline.total, MonthRange::new(7, 12));

        let mut roles = sample().roles;
        let backend = roles
            .iter_mut()
            .find(|r| r.slug == "backend-developer")
            .unwrap();
        backend.skills[4].timing = SkillTiming::BeforeApplying; // i, supporting
        let cat = catalogue(roles);
        let t = between(&cat, "cloud-engineer", "backend-developer");
        assert_eq!(t.to_build[2].skill.slug, "i");
        assert_eq!(t.to_build[2].weeks, 6, "half of 12");
    }

    #[test]
    fn a_related_skill_or_seniority_halves_the_study() {
        let mut cat = sample();
        cat.skills
            .iter_mut()
            .filter(|s| s.slug == "a" || s.slug == "g")
            .for_each(|s| {
                s.family = Some("programming-languages".into());
            });
        let cat = catalogue_from(cat);
        let t = between(&cat, "cloud-engineer", "backend-developer");
        let g = &t.to_build[0];
        assert_eq!(g.skill.slug, "g");
        assert_eq!(g.weeks, 5, "half of 10, because cloud engineers use a");
        assert!(matches!(g.head_start, Some(HeadStart::Related(s)) if s.slug == "a"));

        // The twin is paid above the whole of IT support's mid band in the same sector.
        let t = between(&cat, "twin", "it-support");
        assert!(t.steps_down);
        let k = t.to_build.iter().find(|g| g.skill.slug == "k").unwrap();
        assert_eq!(k.head_start, Some(HeadStart::Seniority));
        assert_eq!(k.weeks, 7, "half of 14");
        assert!(!between(&cat, "it-support", "twin").steps_down);
        assert!(!between(&cat, "twin", "nurse").steps_down, "another sector");
    }

    fn catalogue_from(cat: Catalogue) -> Catalogue {
        Catalogue::new(cat.sectors, cat.skills, cat.roles).unwrap()
    }

    #[test]
    fn unpaid_study_adds_to_the_timeline_and_paid_training_does_not() {
        let mut roles = sample().roles;
        let nurse = roles.iter_mut().find(|r| r.slug == "nurse").unwrap();
        nurse.qualification = Some(qualification(
            "NMC registration",
            RouteKind::UnpaidStudy,
            36,
        ));
        nurse
            .skills
            .iter_mut()
            .for_each(|s| s.timing = SkillTiming::OnTheJob);
        let cat = catalogue(roles.clone());
        let t = between(&cat, "cloud-engineer", "nurse");
        assert_eq!(t.timeline.study_weeks, 0, "the degree teaches every skill");
        assert_eq!(t.timeline.unpaid_months, 36);
        assert_eq!(t.timeline.total, MonthRange::new(40, 48));
        assert_eq!(t.difficulty, Difficulty::LongRoute);
        assert_eq!(t.salary.start_reason, StartReason::Qualification);

        let nurse = roles.iter_mut().find(|r| r.slug == "nurse").unwrap();
        nurse.qualification = Some(qualification("Constable", RouteKind::PaidTraining, 24));
        let cat = catalogue(roles);
        let t = between(&cat, "cloud-engineer", "nurse");
        assert_eq!(t.timeline.total, MonthRange::new(4, 12), "applying only");
        assert_eq!(t.timeline.paid_training_months, 24);
        assert_eq!(t.difficulty_by_time, Difficulty::Moderate);
    }

    #[test]
    fn pay_compares_the_level_you_would_start_at() {
        let cat = sample();
        // 33% overlap: most people start at entry level.
        let cut = between(&cat, "cloud-engineer", "backend-developer").salary;
        assert_eq!(
            (cut.start_level, cut.start_reason),
            (Level::Entry, StartReason::Gaps)
        );
        assert_eq!(cut.current_midpoint, 62_500);
        assert_eq!(cut.starting_midpoint, 32_000);
        assert_eq!(cut.change, -30_500);
        assert_eq!(cut.change_percent, -49);
        assert_eq!(cut.direction, PayDirection::Cut);
        assert!(!cut.keeps_three_quarters);

        // Every skill shared: start at mid level, compared with mid level now.
        let twin = between(&cat, "twin", "cloud-engineer").salary;
        assert_eq!(
            (twin.start_level, twin.start_reason),
            (Level::Mid, StartReason::Overlap)
        );
        assert_eq!(twin.start, cat.role("cloud-engineer").unwrap().salary.mid);

        let rise = between(&cat, "nurse", "twin").salary;
        assert_eq!(rise.direction, PayDirection::Rise);
        assert!(rise.change > 0 && rise.keeps_three_quarters);
    }

    #[test]
    fn moderate_overlap_in_the_same_sector_starts_between_entry_and_mid_level() {
        let mut roles = sample().roles;
        let backend = roles
            .iter_mut()
            .find(|r| r.slug == "backend-developer")
            .unwrap();
        backend.skills[1].skill = "b".into(); // g → b: cloud engineers now share a, b and d
        let cat = catalogue(roles);
        let t = between(&cat, "cloud-engineer", "backend-developer");
        assert_eq!(t.score.percent, 56);
        let s = t.salary;
        assert_eq!(
            (s.start_level, s.start_reason),
            (Level::BetweenEntryAndMid, StartReason::SectorExperience)
        );
        // Halfway between the entry (32,000) and mid (53,500) midpoints.
        assert_eq!(s.starting_midpoint, 42_750);
        assert!(
            Level::BetweenEntryAndMid.covers("Entry") && Level::BetweenEntryAndMid.covers("Mid")
        );
        // The same overlap across sectors starts at entry level.
        let t = between(&cat, "nurse", "backend-developer");
        assert_eq!(t.salary.start_level, Level::Entry);
    }

    #[test]
    fn pay_within_ten_percent_is_the_same() {
        let mut roles = sample().roles;
        let twin = roles.iter_mut().find(|r| r.slug == "twin").unwrap();
        // Mid midpoint 57,000 against the cloud engineer's 62,500: 9% less.
        twin.salary.entry = Band {
            min: 40_000,
            max: 50_000,
        };
        twin.salary.mid = Band {
            min: 50_000,
            max: 64_000,
        };
        let cat = catalogue(roles);
        let s = between(&cat, "cloud-engineer", "twin").salary;
        assert_eq!(s.change_percent, -9);
        assert_eq!(s.direction, PayDirection::Similar);
    }

    #[test]
    fn rankings_are_ordered_by_score() {
        let cat = sample();
        let from = ranked_from(&cat, cat.role("cloud-engineer").unwrap());
        assert_eq!(from.len(), 4);
        assert_eq!(from[0].to.slug, "twin");
        assert!(
            from.windows(2)
                .all(|w| w[0].score.percent >= w[1].score.percent)
        );
        let into = ranked_into(&cat, cat.role("backend-developer").unwrap());
        assert!(
            into.iter()
                .all(|t| t.to.slug == "backend-developer" && t.from.slug != "backend-developer")
        );
        assert!(
            into.windows(2)
                .all(|w| w[0].score.percent >= w[1].score.percent)
        );
    }

    #[test]
    fn best_moves_are_the_head_of_the_full_ranking() {
        fn full(cat: &Catalogue, ts: Vec<Transition<'_>>, into: bool) -> Vec<RankedMove> {
            ts.iter()
                .map(|t| RankedMove {
                    other: cat
                        .role_position(if into { &t.from.slug } else { &t.to.slug })
                        .unwrap(),
                    percent: t.score.percent,
                    difficulty: t.difficulty,
                })
                .collect()
        }
        fn head(
            all: &[RankedMove],
            cat: &Catalogue,
            except: Option<&str>,
            n: usize,
        ) -> Vec<RankedMove> {
            all.iter()
                .filter(|m| Some(cat.roles[m.other].slug.as_str()) != except)
                .take(n)
                .copied()
                .collect()
        }
        let cat = crate::catalogue::bundled().unwrap();
        let roles: Vec<&Role> = cat.roles.iter().collect();
        for (i, role) in roles.iter().enumerate() {
            let all_from = full(&cat, ranked_from(&cat, role), false);
            let all_into = full(&cat, ranked_into(&cat, role), true);
            let except = roles[(i * 7 + 3) % roles.len()].slug.as_str();
            // Twice over: the first asks work the lists out, the second read them back.
            for _ in 0..2 {
                for except in [None, Some(except), Some(role.slug.as_str())] {
                    for limit in [0, 1, 6, 7, 8, roles.len() + 1] {
                        assert_eq!(
                            best_moves_from(&cat, role, except, limit),
                            head(&all_from, &cat, except, limit),
                            "from {} except {except:?} limit {limit}",
                            role.slug
                        );
                        assert_eq!(
                            best_moves_into(&cat, role, except, limit),
                            head(&all_into, &cat, except, limit),
                            "into {} except {except:?} limit {limit}",
                            role.slug
                        );
                    }
                }
            }
        }
        // A copy of a live role (a person's own skills under its slug) is ranked afresh.
        let mut copy = cat.roles[0].clone();
        copy.skills.truncate(6);
        let all_from = full(&cat, ranked_from(&cat, &copy), false);
        assert_eq!(
            best_moves_from(&cat, &copy, None, 6),
            head(&all_from, &cat, None, 6)
        );
        let all_into = full(&cat, ranked_into(&cat, &copy), true);
        assert_eq!(
            best_moves_into(&cat, &copy, None, 6),
            head(&all_into, &cat, None, 6)
        );

        // Ties on overlap go by title, as in the full ranking (the fixture has a twin).
        let cat = sample();
        let cloud = cat.role("cloud-engineer").unwrap();
        let all = full(&cat, ranked_from(&cat, cloud), false);
        assert_eq!(best_moves_from(&cat, cloud, None, 9), all);
    }
}
