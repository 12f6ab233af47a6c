//! The role catalogue: sectors, skills and roles. The bundled TOML deserialises straight
//! into these types; the database stores them; guides are generated from them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::slug::Slug;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sector {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SkillCategory {
    Technical,
    Professional,
    Domain,
}

impl SkillCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Professional => "professional",
            Self::Domain => "domain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "technical" => Some(Self::Technical),
            "professional" => Some(Self::Professional),
            "domain" => Some(Self::Domain),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub slug: String,
    pub name: String,
    pub category: SkillCategory,
    /// Weeks for a motivated beginner at about ten hours a week.
    pub learn_weeks: u32,
    /// Something a hiring manager could look at.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Importance {
    Core,
    Supporting,
}

impl Importance {
    /// Weight in the overlap score: a core skill counts twice.
    pub fn weight(self) -> u32 {
        match self {
            Self::Core => 2,
            Self::Supporting => 1,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Core => "core",
            Self::Supporting => "supporting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "core" => Some(Self::Core),
            "supporting" => Some(Self::Supporting),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSkill {
    pub skill: String,
    pub importance: Importance,
    /// Completes "As a {role}, you …" and "you would …".
    pub usage: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "[i64; 2]", into = "[i64; 2]")]
pub struct Band {
    pub min: i64,
    pub max: i64,
}

impl From<[i64; 2]> for Band {
    fn from([min, max]: [i64; 2]) -> Self {
        Self { min, max }
    }
}

impl From<Band> for [i64; 2] {
    fn from(b: Band) -> Self {
        [b.min, b.max]
    }
}

impl Band {
    pub fn midpoint(self) -> i64 {
        (self.min + self.max) / 2
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Salary {
    pub entry: Band,
    pub mid: Band,
    pub senior: Band,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    pub name: String,
    pub route: String,
    pub months: u32,
    pub cost: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub slug: String,
    pub title: String,
    pub sector: String,
    pub summary: String,
    pub appeal: String,
    pub challenges: String,
    pub interviewers_look_for: Vec<String>,
    pub routes_in: Vec<String>,
    pub salary_reviewed: NaiveDate,
    pub salary: Salary,
    #[serde(default)]
    pub qualification: Option<Qualification>,
    pub skills: Vec<RoleSkill>,
    pub activities: Vec<Activity>,
}

impl Role {
    pub fn has_skill(&self, slug: &str) -> Option<&RoleSkill> {
        self.skills.iter().find(|s| s.skill == slug)
    }

    pub fn core_skills(&self) -> impl Iterator<Item = &RoleSkill> {
        self.skills
            .iter()
            .filter(|s| s.importance == Importance::Core)
    }
}

/// Everything guides are generated from, with lookups by slug.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub sectors: Vec<Sector>,
    pub skills: Vec<Skill>,
    /// Sorted by title.
    pub roles: Vec<Role>,
    role_index: HashMap<String, usize>,
    skill_index: HashMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.join("; "))]
pub struct CatalogueError {
    pub problems: Vec<String>,
}

impl Catalogue {
    /// Builds the lookups and checks every rule a guide relies on.
    pub fn new(
        sectors: Vec<Sector>,
        skills: Vec<Skill>,
        mut roles: Vec<Role>,
    ) -> Result<Self, CatalogueError> {
        roles.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.slug.cmp(&b.slug)));
        let role_index = roles
            .iter()
            .enumerate()
            .map(|(i, r)| (r.slug.clone(), i))
            .collect();
        let skill_index = skills
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();
        let catalogue = Self {
            sectors,
            skills,
            roles,
            role_index,
            skill_index,
        };
        let problems = catalogue.problems();
        if problems.is_empty() {
            Ok(catalogue)
        } else {
            Err(CatalogueError { problems })
        }
    }

    pub fn role(&self, slug: &str) -> Option<&Role> {
        self.role_index.get(slug).map(|&i| &self.roles[i])
    }

    pub fn skill(&self, slug: &str) -> Option<&Skill> {
        self.skill_index.get(slug).map(|&i| &self.skills[i])
    }

    pub fn sector(&self, slug: &str) -> Option<&Sector> {
        self.sectors.iter().find(|s| s.slug == slug)
    }

    /// The skill a role skill refers to. Validation guarantees it exists.
    pub fn skill_of(&self, role_skill: &RoleSkill) -> &Skill {
        self.skill(&role_skill.skill)
            .expect("catalogue validation guarantees every role skill exists")
    }

    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut seen = HashMap::new();
        for sector in &self.sectors {
            if let Err(e) = Slug::parse(&sector.slug) {
                problems.push(format!("sector {:?}: {e}", sector.slug));
            }
        }
        for skill in &self.skills {
            if let Err(e) = Slug::parse(&skill.slug) {
                problems.push(format!("skill {:?}: {e}", skill.slug));
            }
            if *seen.entry(("skill", skill.slug.clone())).or_insert(0) > 0 {
                problems.push(format!("skill {:?} appears twice", skill.slug));
            }
            *seen.get_mut(&("skill", skill.slug.clone())).unwrap() += 1;
            if skill.name.trim().is_empty() || skill.evidence.trim().is_empty() {
                problems.push(format!("skill {:?} needs a name and evidence", skill.slug));
            }
            if !(1..=260).contains(&skill.learn_weeks) {
                problems.push(format!(
                    "skill {:?}: learning weeks must be 1–260",
                    skill.slug
                ));
            }
        }
        for role in &self.roles {
            problems.extend(role_problems(self, role));
            if *seen.entry(("role", role.slug.clone())).or_insert(0) > 0 {
                problems.push(format!("role {:?} appears twice", role.slug));
            }
            *seen.get_mut(&("role", role.slug.clone())).unwrap() += 1;
        }
        problems
    }
}

/// The rules one role must meet; also used to check an admin's edit before it is saved.
pub fn role_problems(catalogue: &Catalogue, role: &Role) -> Vec<String> {
    let mut problems = Vec::new();
    let name = &role.slug;
    if let Err(e) = Slug::parse(&role.slug) {
        problems.push(format!("role {name:?}: {e}"));
    }
    if catalogue.sector(&role.sector).is_none() {
        problems.push(format!("role {name:?}: unknown sector {:?}", role.sector));
    }
    for (label, text) in [
        ("title", &role.title),
        ("summary", &role.summary),
        ("appeal", &role.appeal),
        ("challenges", &role.challenges),
    ] {
        if text.trim().is_empty() {
            problems.push(format!("role {name:?}: {label} is empty"));
        }
    }
    if !(6..=12).contains(&role.skills.len()) {
        problems.push(format!(
            "role {name:?}: needs 6–12 skills, has {}",
            role.skills.len()
        ));
    }
    if role.core_skills().next().is_none() {
        problems.push(format!("role {name:?}: needs at least one core skill"));
    }
    let mut seen_skills = std::collections::HashSet::new();
    for rs in &role.skills {
        if catalogue.skill(&rs.skill).is_none() {
            problems.push(format!("role {name:?}: unknown skill {:?}", rs.skill));
        }
        if !seen_skills.insert(rs.skill.as_str()) {
            problems.push(format!("role {name:?}: skill {:?} listed twice", rs.skill));
        }
        if rs.usage.trim().is_empty() {
            problems.push(format!("role {name:?}: skill {:?} has no usage", rs.skill));
        }
    }
    if !(2..=3).contains(&role.activities.len()) {
        problems.push(format!("role {name:?}: needs 2–3 day-to-day activities"));
    }
    if role.interviewers_look_for.is_empty() || role.routes_in.is_empty() {
        problems.push(format!(
            "role {name:?}: needs interview focus and routes in"
        ));
    }
    let s = role.salary;
    let ordered = s.entry.min > 0
        && s.entry.min <= s.entry.max
        && s.mid.min <= s.mid.max
        && s.senior.min <= s.senior.max
        && s.entry.min <= s.mid.min
        && s.mid.min <= s.senior.min
        && s.entry.max <= s.mid.max
        && s.mid.max <= s.senior.max;
    if !ordered {
        problems.push(format!(
            "role {name:?}: salary bands must run entry ≤ mid ≤ senior with min ≤ max"
        ));
    }
    if let Some(q) = &role.qualification
        && (q.months == 0 || q.name.trim().is_empty())
    {
        problems.push(format!(
            "role {name:?}: qualification needs a name and a duration"
        ));
    }
    problems
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! A tiny hand-made catalogue for unit tests, independent of the bundled content.
    use super::*;

    pub fn skill(slug: &str, weeks: u32) -> Skill {
        Skill {
            slug: slug.into(),
            name: slug.to_uppercase(),
            category: SkillCategory::Technical,
            learn_weeks: weeks,
            evidence: format!("A project that uses {slug}."),
        }
    }

    pub fn role(
        slug: &str,
        title: &str,
        sector: &str,
        salary: [i64; 6],
        skills: &[(&str, Importance)],
    ) -> Role {
        Role {
            slug: slug.into(),
            title: title.into(),
            sector: sector.into(),
            summary: "Does useful work.".into(),
            appeal: "The work is varied.".into(),
            challenges: "Deadlines can bunch up.".into(),
            interviewers_look_for: vec!["clear thinking".into()],
            routes_in: vec!["Most people start as juniors.".into()],
            salary_reviewed: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            salary: Salary {
                entry: Band {
                    min: salary[0],
                    max: salary[1],
                },
                mid: Band {
                    min: salary[2],
                    max: salary[3],
                },
                senior: Band {
                    min: salary[4],
                    max: salary[5],
                },
            },
            qualification: None,
            skills: skills
                .iter()
                .map(|(s, i)| RoleSkill {
                    skill: (*s).into(),
                    importance: *i,
                    usage: format!("use {s} at work"),
                })
                .collect(),
            activities: vec![
                Activity {
                    title: "Planning".into(),
                    description: "Plans the week.".into(),
                },
                Activity {
                    title: "Doing".into(),
                    description: "Does the work.".into(),
                },
            ],
        }
    }

    /// Four real-looking roles and a twin of the first, shared by the analysis and guide
    /// tests: a close same-sector move, a pay rise, a cross-sector move with no overlap.
    pub fn sample() -> Catalogue {
        catalogue(vec![
            role(
                "cloud-engineer",
                "Cloud Engineer",
                "technology",
                [30_000, 42_000, 50_000, 75_000, 75_000, 110_000],
                &[
                    ("a", Importance::Core),
                    ("b", Importance::Core),
                    ("c", Importance::Core),
                    ("d", Importance::Supporting),
                    ("e", Importance::Supporting),
                    ("f", Importance::Supporting),
                ],
            ),
            role(
                "backend-developer",
                "Backend Developer",
                "technology",
                [26_000, 38_000, 42_000, 65_000, 70_000, 110_000],
                &[
                    ("a", Importance::Core),
                    ("g", Importance::Core),
                    ("h", Importance::Core),
                    ("d", Importance::Supporting),
                    ("i", Importance::Supporting),
                    ("j", Importance::Supporting),
                ],
            ),
            role(
                "it-support",
                "IT Support Technician",
                "technology",
                [22_000, 26_000, 27_000, 32_000, 33_000, 40_000],
                &[
                    ("k", Importance::Core),
                    ("l", Importance::Core),
                    ("a", Importance::Core),
                    ("h", Importance::Supporting),
                    ("i", Importance::Supporting),
                    ("j", Importance::Supporting),
                ],
            ),
            role(
                "nurse",
                "Registered Nurse",
                "healthcare",
                [29_000, 36_000, 37_000, 45_000, 46_000, 60_000],
                &[
                    ("k", Importance::Core),
                    ("l", Importance::Core),
                    ("j", Importance::Core),
                    ("h", Importance::Supporting),
                    ("i", Importance::Supporting),
                    ("g", Importance::Supporting),
                ],
            ),
            role(
                "twin",
                "Twin",
                "technology",
                [60_000, 70_000, 80_000, 90_000, 95_000, 130_000],
                &[
                    ("a", Importance::Core),
                    ("b", Importance::Core),
                    ("c", Importance::Core),
                    ("d", Importance::Supporting),
                    ("e", Importance::Supporting),
                    ("f", Importance::Supporting),
                ],
            ),
        ])
    }

    pub fn catalogue(roles: Vec<Role>) -> Catalogue {
        let skills = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
            .iter()
            .enumerate()
            .map(|(i, s)| skill(s, 4 + i as u32))
            .collect();
        let sectors = vec![
            Sector {
                slug: "technology".into(),
                name: "Technology".into(),
            },
            Sector {
                slug: "healthcare".into(),
                name: "Health".into(),
            },
        ];
        Catalogue::new(sectors, skills, roles).expect("fixture catalogue is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use Importance::*;

    const SIX: [(&str, Importance); 6] = [
        ("a", Core),
        ("b", Core),
        ("c", Supporting),
        ("d", Supporting),
        ("e", Supporting),
        ("f", Supporting),
    ];

    #[test]
    fn a_valid_catalogue_indexes_by_slug() {
        let cat = catalogue(vec![role("x", "X", "technology", [1, 2, 3, 4, 5, 6], &SIX)]);
        assert_eq!(cat.role("x").unwrap().title, "X");
        assert!(cat.role("y").is_none());
        assert_eq!(cat.skill("a").unwrap().name, "A");
    }

    #[test]
    fn rejects_broken_roles() {
        let mut bad = role(
            "bad-to-worse",
            "Bad",
            "nowhere",
            [5, 4, 3, 2, 1, 0],
            &SIX[..2],
        );
        bad.skills.push(RoleSkill {
            skill: "zz".into(),
            importance: Core,
            usage: String::new(),
        });
        let sectors = vec![Sector {
            slug: "technology".into(),
            name: "T".into(),
        }];
        let err =
            Catalogue::new(sectors, vec![skill("a", 1), skill("b", 1)], vec![bad]).unwrap_err();
        let all = err.problems.join("\n");
        for expected in [
            "-to-",
            "unknown sector",
            "needs 6–12 skills",
            "unknown skill",
            "salary bands",
            "no usage",
        ] {
            assert!(all.contains(expected), "missing {expected:?} in {all}");
        }
    }
}

/// Roles whose title or any skill name matches `query` (case-insensitive), optionally in
/// one sector. An empty query matches everything.
pub fn search<'a>(catalogue: &'a Catalogue, query: &str, sector: Option<&str>) -> Vec<&'a Role> {
    let needle = query.trim().to_lowercase();
    catalogue
        .roles
        .iter()
        .filter(|r| sector.is_none_or(|s| r.sector == s))
        .filter(|r| {
            needle.is_empty()
                || r.title.to_lowercase().contains(&needle)
                || r.skills.iter().any(|rs| {
                    catalogue
                        .skill(&rs.skill)
                        .is_some_and(|s| s.name.to_lowercase().contains(&needle))
                })
        })
        .collect()
}

#[cfg(test)]
mod search_tests {
    use super::fixtures::*;
    use super::*;
    use Importance::*;

    #[test]
    fn finds_by_title_or_skill_within_a_sector() {
        let skills = [
            ("a", Core),
            ("b", Core),
            ("c", Core),
            ("d", Supporting),
            ("e", Supporting),
            ("f", Supporting),
        ];
        let other = [
            ("g", Core),
            ("h", Core),
            ("i", Core),
            ("j", Supporting),
            ("k", Supporting),
            ("l", Supporting),
        ];
        let cat = catalogue(vec![
            role(
                "cloud",
                "Cloud Engineer",
                "technology",
                [1, 2, 3, 4, 5, 6],
                &skills,
            ),
            role("nurse", "Nurse", "healthcare", [1, 2, 3, 4, 5, 6], &other),
        ]);
        assert_eq!(search(&cat, "", None).len(), 2);
        assert_eq!(search(&cat, "cloud", None)[0].slug, "cloud");
        assert_eq!(
            search(&cat, "J", None)[0].slug,
            "nurse",
            "skill names match"
        );
        assert!(search(&cat, "cloud", Some("healthcare")).is_empty());
        assert_eq!(search(&cat, "  ", Some("healthcare")).len(), 1);
    }
}
