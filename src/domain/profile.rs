//! A person's own skills: the role they are in now and what they can actually do, each at a
//! level. Guides, plans and suggestions read the person's skills from here instead of
//! assuming everyone in a role has exactly that role's list.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::catalogue::{Catalogue, Importance, Role, RoleSkill, Skill, SkillTiming};
use super::guide::{guide_path, join_names, lower_first};
use super::text::{count, sentence_case};
use super::transition::{Transition, analyse_person};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SkillLevel {
    /// Started but not yet usable at work: counts as a gap, at about half the study time.
    Learning,
    /// Used at work without help: carries over.
    Working,
    /// Could teach it: carries over.
    Strong,
}

impl SkillLevel {
    pub const ALL: [SkillLevel; 3] = [Self::Learning, Self::Working, Self::Strong];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Learning => "learning",
            Self::Working => "working",
            Self::Strong => "strong",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Learning => "Learning",
            Self::Working => "Working",
            Self::Strong => "Strong",
        }
    }

    /// Whether a plan can leave the skill out.
    pub fn is_held(self) -> bool {
        self != Self::Learning
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSkill {
    pub skill: String,
    pub level: SkillLevel,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub current_role: Option<String>,
    /// One entry per skill; pages list them by name.
    pub skills: Vec<ProfileSkill>,
}

/// Why a plan left a skill out or shortened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedSkill {
    /// The skill's name, as it was when the plan was built.
    pub skill: String,
    pub level: SkillLevel,
}

impl Profile {
    /// What a new profile starts from: a role's skills, all at working level.
    pub fn starting_from(role: &Role) -> Self {
        Self {
            current_role: Some(role.slug.clone()),
            skills: role
                .skills
                .iter()
                .map(|rs| ProfileSkill {
                    skill: rs.skill.clone(),
                    level: SkillLevel::Working,
                })
                .collect(),
        }
    }

    pub fn level_of(&self, slug: &str) -> Option<SkillLevel> {
        self.skills
            .iter()
            .find(|s| s.skill == slug)
            .map(|s| s.level)
    }

    /// Sets a skill's level, adding it at the end if it is new.
    pub fn set(&mut self, slug: &str, level: SkillLevel) {
        match self.skills.iter_mut().find(|s| s.skill == slug) {
            Some(s) => s.level = level,
            None => self.skills.push(ProfileSkill {
                skill: slug.to_owned(),
                level,
            }),
        }
    }

    pub fn remove(&mut self, slug: &str) {
        self.skills.retain(|s| s.skill != slug);
    }

    /// Skills the catalogue no longer has are dropped (a merge normally moves them first).
    pub fn known_to(mut self, catalogue: &Catalogue) -> Self {
        self.skills.retain(|s| catalogue.skill(&s.skill).is_some());
        if let Some(role) = &self.current_role
            && catalogue.any_role(role).is_none()
        {
            self.current_role = None;
        }
        self
    }

    /// Where the person stands for a move into `to`: their own current role when they have
    /// named one (other than `to`), else `from`, the side of the guide they are reading.
    pub fn standing_role<'a>(
        &self,
        catalogue: &'a Catalogue,
        from: &'a Role,
        to: &Role,
    ) -> &'a Role {
        self.current_role
            .as_deref()
            .and_then(|s| catalogue.any_role(s))
            .filter(|r| r.slug != to.slug)
            .unwrap_or(from)
    }

    fn learning(&self) -> HashSet<String> {
        self.skills
            .iter()
            .filter(|s| !s.level.is_held())
            .map(|s| s.skill.clone())
            .collect()
    }

    /// The person as a role: `base` (their current role, or the side of a move they stand
    /// on) with its skill list replaced by the skills they hold at working level or above.
    pub fn as_role(&self, base: &Role) -> Role {
        let mut person = base.clone();
        person.skills = self
            .skills
            .iter()
            .filter(|s| s.level.is_held())
            .map(|s| {
                let own = base.has_skill(&s.skill);
                RoleSkill {
                    skill: s.skill.clone(),
                    importance: own.map_or(Importance::Supporting, |r| r.importance),
                    usage: own.map_or_else(String::new, |r| r.usage.clone()),
                    timing: own.map_or(SkillTiming::OnTheJob, |r| r.timing),
                }
            })
            .collect();
        person
    }
}

/// A move worked out for one person.
pub struct PersonalMove<'a> {
    pub transition: Transition<'a>,
    /// Skills the person has that `base` does not list and that count for the target:
    /// carried over outright, or giving a head start on a gap.
    pub extra_help: Vec<&'a Skill>,
    /// Gaps the person is already learning, planned at about half the time.
    pub learning: Vec<&'a Skill>,
}

/// The move from `person` (made by `Profile::as_role`) into `to`, with the profile's
/// learning skills at half the study time.
pub fn personal_move<'a>(
    catalogue: &'a Catalogue,
    profile: &Profile,
    base: &Role,
    person: &'a Role,
    to: &'a Role,
) -> PersonalMove<'a> {
    let learning = profile.learning();
    let transition = analyse_person(catalogue, person, to, &learning);
    let mut extra_help: Vec<&Skill> = transition
        .transferable
        .iter()
        .filter(|s| base.has_skill(&s.skill.slug).is_none())
        .map(|s| s.skill)
        .collect();
    for gap in &transition.to_build {
        if let Some(super::transition::HeadStart::Related(skill)) = gap.head_start
            && base.has_skill(&skill.slug).is_none()
            && !extra_help.iter().any(|s| s.slug == skill.slug)
        {
            extra_help.push(skill);
        }
    }
    let learning = transition
        .to_build
        .iter()
        .filter(|g| learning.contains(&g.skill.slug))
        .map(|g| g.skill)
        .collect();
    PersonalMove {
        transition,
        extra_help,
        learning,
    }
}

/// One suggested move on the dashboard.
pub struct Suggestion {
    pub title: String,
    pub href: String,
    pub overlap: u32,
    /// "Highly viable", "Viable".
    pub mark: &'static str,
    pub keeps_pay: bool,
    /// What transfers and the biggest gap, in one line.
    pub why: String,
}

/// Overlap at which a move is viable, and highly viable.
pub const VIABLE_PERCENT: u32 = 30;
pub const HIGHLY_VIABLE_PERCENT: u32 = 40;
const SUGGESTIONS: usize = 6;

/// The best next moves for a profile with a current role: every other live role, ranked by
/// the person's own overlap (then shorter timeline, then title), viable ones only.
pub fn suggestions(catalogue: &Catalogue, profile: &Profile) -> Vec<Suggestion> {
    let Some(current) = profile
        .current_role
        .as_deref()
        .and_then(|s| catalogue.any_role(s))
    else {
        return Vec::new();
    };
    let person = profile.as_role(current);
    let mut moves: Vec<PersonalMove<'_>> = catalogue
        .roles
        .iter()
        .filter(|to| to.slug != current.slug)
        .map(|to| personal_move(catalogue, profile, current, &person, to))
        .filter(|m| m.transition.score.percent >= VIABLE_PERCENT)
        .collect();
    moves.sort_by(|a, b| {
        let (a, b) = (&a.transition, &b.transition);
        b.score
            .percent
            .cmp(&a.score.percent)
            .then(a.timeline.total.max.cmp(&b.timeline.total.max))
            .then(a.to.title.cmp(&b.to.title))
    });
    moves
        .iter()
        .take(SUGGESTIONS)
        .map(|m| {
            let t = &m.transition;
            let mut names: Vec<String> = t
                .transferable
                .iter()
                .take(2)
                .map(|s| lower_first(&s.skill.name))
                .collect();
            let more = t.transferable.len().saturating_sub(2);
            if more > 0 {
                names.push(format!("{more} more"));
            }
            let transfers = if names.is_empty() {
                "nothing you have listed carries over yet".to_owned()
            } else {
                format!("{} carry over", join_names(&names))
            };
            let studied = t
                .to_build
                .iter()
                .filter(|g| g.weeks > 0)
                .max_by_key(|g| (g.weeks, g.importance == Importance::Core));
            let gap = match (&t.to.qualification, studied) {
                (Some(q), _) => format!("the biggest step is the qualification, {}", q.name),
                (None, Some(g)) => format!(
                    "the biggest gap is {} (about {})",
                    lower_first(&g.skill.name),
                    count(g.weeks as usize, "week", "weeks")
                ),
                (None, None) => match t.to_build.first() {
                    Some(g) => format!(
                        "nothing needs study before applying; {} is learned on the job",
                        lower_first(&g.skill.name)
                    ),
                    None => "nothing is missing".to_owned(),
                },
            };
            Suggestion {
                title: t.to.title.clone(),
                href: guide_path(&current.slug, &t.to.slug),
                overlap: t.score.percent,
                mark: if t.score.percent >= HIGHLY_VIABLE_PERCENT {
                    "Highly viable"
                } else {
                    "Viable"
                },
                keeps_pay: t.salary.keeps_three_quarters,
                why: format!("{}; {}.", sentence_case(&transfers), gap),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::fixtures::sample;
    use crate::domain::transition::analyse;

    #[test]
    fn the_starting_profile_matches_the_role() {
        let cat = sample();
        let from = cat.role("cloud-engineer").unwrap();
        let to = cat.role("backend-developer").unwrap();
        let profile = Profile::starting_from(from);
        let person = profile.as_role(from);
        let mine = personal_move(&cat, &profile, from, &person, to);
        let public = analyse(&cat, from, to);
        assert_eq!(mine.transition.score, public.score);
        assert_eq!(mine.transition.timeline.total, public.timeline.total);
        assert!(mine.extra_help.is_empty());
    }

    #[test]
    fn extra_skills_count_missing_ones_do_not_and_learning_halves() {
        let cat = sample();
        let from = cat.role("cloud-engineer").unwrap();
        let to = cat.role("backend-developer").unwrap();
        let public = analyse(&cat, from, to);
        let gap = public.studied_gaps().next().unwrap().skill.slug.clone();
        let mut profile = Profile::starting_from(from);
        profile.set(&gap, SkillLevel::Strong);
        let person = profile.as_role(from);
        let mine = personal_move(&cat, &profile, from, &person, to);
        assert!(mine.transition.score.percent > public.score.percent);
        assert!(mine.extra_help.iter().any(|s| s.slug == gap));

        let mut learner = Profile::starting_from(from);
        learner.set(&gap, SkillLevel::Learning);
        let person = learner.as_role(from);
        let mine = personal_move(&cat, &learner, from, &person, to);
        let before = public
            .to_build
            .iter()
            .find(|g| g.skill.slug == gap)
            .unwrap()
            .weeks;
        let after = mine
            .transition
            .to_build
            .iter()
            .find(|g| g.skill.slug == gap)
            .unwrap()
            .weeks;
        assert_eq!(after, before.div_ceil(2));
        assert_eq!(mine.learning.len(), 1);

        let mut without = Profile::starting_from(from);
        let shared = public.transferable[0].skill.slug.clone();
        without.remove(&shared);
        let person = without.as_role(from);
        let mine = personal_move(&cat, &without, from, &person, to);
        assert!(mine.transition.score.percent < public.score.percent);
    }
}
