//! What a move from one role to another involves: the skills that carry over, the gaps,
//! an overlap score, a difficulty word, a timeline and the salary effect.

use super::catalogue::{Band, Catalogue, Importance, Role, RoleSkill, Skill, SkillCategory};
use super::money::percent;

/// The study pace every estimate assumes; pages state it next to each figure.
pub const HOURS_PER_WEEK: u32 = 10;
/// A move "keeps earnings" when the new starting midpoint is at least this share of now.
pub const KEEPS_EARNINGS_PERCENT: i64 = 75;
/// Months most people spend applying and interviewing once they are ready.
const JOB_SEARCH_MONTHS: (u32, u32) = (2, 4);

#[derive(Debug, Clone)]
pub struct Transition<'a> {
    pub from: &'a Role,
    pub to: &'a Role,
    pub same_sector: bool,
    pub transferable: Vec<SharedSkill<'a>>,
    pub to_build: Vec<Gap<'a>>,
    pub score: Overlap,
    pub difficulty: Difficulty,
    pub timeline: Timeline,
    pub salary: SalaryComparison,
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
}

/// Σ weights of the target's skills the source has ÷ Σ weights of all the target's skills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overlap {
    pub matched_weight: u32,
    pub total_weight: u32,
    pub percent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difficulty {
    Close,
    Moderate,
    Stretching,
    FreshStart,
}

impl Difficulty {
    pub fn word(self) -> &'static str {
        match self {
            Self::Close => "close move",
            Self::Moderate => "moderate move",
            Self::Stretching => "stretching move",
            Self::FreshStart => "fresh start",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Close => "Close move",
            Self::Moderate => "Moderate move",
            Self::Stretching => "Stretching move",
            Self::FreshStart => "Fresh start",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeline {
    /// Weeks of study for the gaps at `HOURS_PER_WEEK`.
    pub study_weeks: u32,
    pub min_months: u32,
    pub max_months: u32,
    /// The target's qualification sets the floor, not the skill gaps.
    pub qualification_months: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayDirection {
    Rise,
    Similar,
    Cut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SalaryComparison {
    /// Midpoint of the source role's mid-level band: what you earn now.
    pub current_midpoint: i64,
    /// Midpoint of the target's entry band: what you would start on.
    pub starting_midpoint: i64,
    pub change: i64,
    pub change_percent: i64,
    pub direction: PayDirection,
    pub keeps_three_quarters: bool,
    pub from_mid: Band,
    pub to_entry: Band,
    pub to_mid: Band,
    pub to_senior: Band,
}

pub fn analyse<'a>(catalogue: &'a Catalogue, from: &'a Role, to: &'a Role) -> Transition<'a> {
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
            None => to_build.push(Gap {
                skill,
                importance: target.importance,
                usage: &target.usage,
            }),
        }
    }
    // Core before supporting; the authored order within each keeps the role's emphasis.
    transferable.sort_by_key(|s| s.importance_in_target);
    to_build.sort_by_key(|g| g.importance);

    let score = Overlap {
        matched_weight,
        total_weight,
        percent: percent(matched_weight.into(), total_weight.into()).clamp(0, 100) as u32,
    };
    let same_sector = from.sector == to.sector;
    Transition {
        from,
        to,
        same_sector,
        difficulty: difficulty(score.percent, same_sector, to.qualification.is_some()),
        timeline: timeline(&to_build, to),
        salary: compare_salary(from, to),
        transferable,
        to_build,
        score,
    }
}

fn shared<'a>(skill: &'a Skill, source: &'a RoleSkill, target: &'a RoleSkill) -> SharedSkill<'a> {
    SharedSkill {
        skill,
        importance_in_target: target.importance,
        as_from: &source.usage,
        as_to: &target.usage,
    }
}

/// A sector change costs about ten points of familiarity; a regulated target is never
/// easier than stretching, because the qualification dominates.
pub fn difficulty(score: u32, same_sector: bool, regulated_target: bool) -> Difficulty {
    let adjusted = if same_sector {
        score
    } else {
        score.saturating_sub(10)
    };
    let by_score = match adjusted {
        60.. => Difficulty::Close,
        35..=59 => Difficulty::Moderate,
        15..=34 => Difficulty::Stretching,
        _ => Difficulty::FreshStart,
    };
    if regulated_target {
        by_score.max(Difficulty::Stretching)
    } else {
        by_score
    }
}

/// Core gaps are learnt in full; supporting gaps to half depth, as the rest comes on the job.
/// Into a regulated role, the domain skills are taught by the qualification itself, so they
/// count towards its duration rather than as extra study.
pub fn timeline(gaps: &[Gap<'_>], to: &Role) -> Timeline {
    let regulated = to.qualification.is_some();
    let study_weeks: u32 = gaps
        .iter()
        .filter(|g| !(regulated && taught_by_qualification(g)))
        .map(|g| match g.importance {
            Importance::Core => g.skill.learn_weeks,
            Importance::Supporting => g.skill.learn_weeks.div_ceil(2),
        })
        .sum();
    let study_months = (study_weeks * 12).div_ceil(52);
    let mut min_months = study_months + JOB_SEARCH_MONTHS.0;
    let mut max_months = study_months + study_months.div_ceil(2) + JOB_SEARCH_MONTHS.1;
    let qualification_months = to.qualification.as_ref().map(|q| q.months);
    if let Some(q) = qualification_months {
        min_months = min_months.max(q);
        max_months = max_months.max(q + JOB_SEARCH_MONTHS.1);
    }
    Timeline {
        study_weeks,
        min_months,
        max_months,
        qualification_months,
    }
}

/// Field-specific knowledge that a regulated role's qualification exists to teach.
pub fn taught_by_qualification(gap: &Gap<'_>) -> bool {
    gap.skill.category == SkillCategory::Domain
}

pub fn compare_salary(from: &Role, to: &Role) -> SalaryComparison {
    let current_midpoint = from.salary.mid.midpoint();
    let starting_midpoint = to.salary.entry.midpoint();
    let change = starting_midpoint - current_midpoint;
    let change_percent = percent(change, current_midpoint);
    // Within 3 % either way is noise in advertised bands.
    let direction = match change_percent {
        p if p > 3 => PayDirection::Rise,
        p if p < -3 => PayDirection::Cut,
        _ => PayDirection::Similar,
    };
    SalaryComparison {
        current_midpoint,
        starting_midpoint,
        change,
        change_percent,
        direction,
        keeps_three_quarters: starting_midpoint * 100 >= current_midpoint * KEEPS_EARNINGS_PERCENT,
        from_mid: from.salary.mid,
        to_entry: to.salary.entry,
        to_mid: to.salary.mid,
        to_senior: to.salary.senior,
    }
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
    use crate::domain::catalogue::Qualification;
    use crate::domain::catalogue::fixtures::{catalogue, sample};

    #[test]
    fn score_is_weighted_share_of_target_skills() {
        let cat = sample();
        let t = analyse(
            &cat,
            cat.role("cloud-engineer").unwrap(),
            cat.role("backend-developer").unwrap(),
        );
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
                assert!(t.timeline.min_months <= t.timeline.max_months);
            }
        }
        let same = analyse(
            &cat,
            cat.role("cloud-engineer").unwrap(),
            cat.role("twin").unwrap(),
        );
        assert_eq!(same.score.percent, 100);
        assert!(same.to_build.is_empty());
        assert_eq!(same.difficulty, Difficulty::Close);
    }

    #[test]
    fn zero_overlap_is_a_fresh_start() {
        let cat = sample();
        let t = analyse(
            &cat,
            cat.role("cloud-engineer").unwrap(),
            cat.role("nurse").unwrap(),
        );
        assert_eq!(t.score.percent, 0);
        assert!(t.transferable.is_empty());
        assert!(!t.same_sector);
        assert_eq!(t.difficulty, Difficulty::FreshStart);
    }

    #[test]
    fn sector_change_and_regulation_make_it_harder() {
        assert_eq!(difficulty(65, true, false), Difficulty::Close);
        assert_eq!(difficulty(65, false, false), Difficulty::Moderate);
        assert_eq!(difficulty(90, true, true), Difficulty::Stretching);
        assert_eq!(difficulty(5, true, true), Difficulty::FreshStart);
    }

    #[test]
    fn a_qualification_sets_the_timeline_floor() {
        let mut cat_roles = sample().roles;
        let nurse = cat_roles.iter_mut().find(|r| r.slug == "nurse").unwrap();
        nurse.qualification = Some(Qualification {
            name: "NMC registration".into(),
            route: "A nursing degree.".into(),
            months: 36,
            cost: "Tuition fees.".into(),
        });
        let cat = catalogue(cat_roles);
        let t = analyse(
            &cat,
            cat.role("cloud-engineer").unwrap(),
            cat.role("nurse").unwrap(),
        );
        assert!(t.timeline.min_months >= 36);
        assert_eq!(t.timeline.qualification_months, Some(36));
        assert_eq!(t.difficulty, Difficulty::FreshStart);
    }

    #[test]
    fn salary_compares_target_entry_with_current_mid() {
        let cat = sample();
        let cut = analyse(
            &cat,
            cat.role("cloud-engineer").unwrap(),
            cat.role("backend-developer").unwrap(),
        )
        .salary;
        assert_eq!(cut.current_midpoint, 62_500);
        assert_eq!(cut.starting_midpoint, 32_000);
        assert_eq!(cut.change, -30_500);
        assert_eq!(cut.change_percent, -49);
        assert_eq!(cut.direction, PayDirection::Cut);
        assert!(!cut.keeps_three_quarters);

        let rise = analyse(&cat, cat.role("nurse").unwrap(), cat.role("twin").unwrap()).salary;
        assert_eq!(rise.direction, PayDirection::Rise);
        assert!(rise.change > 0 && rise.keeps_three_quarters);
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
}
