//! The role catalogue: sectors, skills and roles. The bundled TOML deserialises straight
//! into these types; the database stores them; guides are generated from them.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::markdown::Html;
use super::slug::Slug;
use super::transition::RankedMove;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sector {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Skill {
    pub slug: String,
    pub name: String,
    pub category: SkillCategory,
    /// Weeks for a motivated beginner at about ten hours a week.
    pub learn_weeks: u32,
    /// Something a hiring manager could look at.
    pub evidence: String,
    /// Skills in one family are close relatives: knowing one makes the next quicker to
    /// learn (a second programming language, the other cloud platform).
    #[serde(default)]
    pub family: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

/// When a role expects a skill from someone new to it. Separate from importance: a
/// teaching assistant's safeguarding work is core, yet schools teach it at induction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkillTiming {
    /// Shown before you are hired: on a CV, in a portfolio or at interview. Time spent on
    /// these comes before applying, so it counts in the timeline.
    BeforeApplying,
    /// Taught once you start, by the employer or by the training route into the role.
    OnTheJob,
}

impl SkillTiming {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BeforeApplying => "before-applying",
            Self::OnTheJob => "on-the-job",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "before-applying" => Some(Self::BeforeApplying),
            "on-the-job" => Some(Self::OnTheJob),
            _ => None,
        }
    }

    /// The default for a role skill stored before timing existed: core skills were the
    /// ones employers screened for.
    pub fn default_for(importance: Importance) -> Self {
        match importance {
            Importance::Core => Self::BeforeApplying,
            Importance::Supporting => Self::OnTheJob,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleSkill {
    pub skill: String,
    pub importance: Importance,
    /// Completes "As a {role}, you …" and "you would …".
    pub usage: String,
    pub timing: SkillTiming,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Salary {
    pub entry: Band,
    pub mid: Band,
    pub senior: Band,
}

/// A span in whole months, such as "4–9 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "[u32; 2]", into = "[u32; 2]")]
pub struct MonthRange {
    pub min: u32,
    pub max: u32,
}

impl From<[u32; 2]> for MonthRange {
    fn from([min, max]: [u32; 2]) -> Self {
        Self { min, max }
    }
}

impl From<MonthRange> for [u32; 2] {
    fn from(r: MonthRange) -> Self {
        [r.min, r.max]
    }
}

impl MonthRange {
    pub const fn new(min: u32, max: u32) -> Self {
        Self { min, max }
    }

    pub fn plus(self, other: MonthRange) -> Self {
        Self::new(self.min + other.min, self.max + other.max)
    }

    pub fn plus_months(self, months: u32) -> Self {
        Self::new(self.min + months, self.max + months)
    }
}

/// How a route into a role pays while you train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RouteKind {
    /// Employed and paid from the first day, qualifying on the job: a police constable's
    /// initial training, an accountancy training contract.
    PaidTraining,
    /// Full-time study without a salary before you can work in the role: a nursing degree,
    /// a PGCE, an MPharm.
    UnpaidStudy,
    /// A job with an employer at apprentice pay, with the qualification built in.
    Apprenticeship,
}

impl RouteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PaidTraining => "paid-training",
            Self::UnpaidStudy => "unpaid-study",
            Self::Apprenticeship => "apprenticeship",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "paid-training" => Some(Self::PaidTraining),
            "unpaid-study" => Some(Self::UnpaidStudy),
            "apprenticeship" => Some(Self::Apprenticeship),
            _ => None,
        }
    }

    /// Words for a list of routes: "paid from the first day".
    pub fn pay_words(self) -> &'static str {
        match self {
            Self::PaidTraining => "paid from the first day",
            Self::UnpaidStudy => "full-time study without a salary",
            Self::Apprenticeship => "an apprenticeship, paid while you train",
        }
    }
}

/// One way to gain a role's qualification, with what it costs in time and money.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntryRoute {
    /// Reads after "through": "a three-year nursing degree".
    pub name: String,
    pub kind: RouteKind,
    /// From the first day of the route to qualifying.
    pub months: u32,
    /// How many of those months are full-time study without a salary (all of them for
    /// unpaid study, none for paid training; the MPharm's four years of a five-year route).
    pub unpaid_months: u32,
    /// From applying to the first day: selection, vetting and fixed intake dates.
    pub apply_months: MonthRange,
    /// What you must have before you can apply, in a sentence.
    pub entry_requirements: String,
    /// What you pay, e.g. "£9,790 a year in tuition fees in England".
    pub cost: String,
    /// What helps: loans, grants, bursaries or a salary.
    pub funding: String,
    /// A degree is a prerequisite for this route, not something it gives you.
    #[serde(default)]
    pub degree_required: bool,
}

/// A qualification a role cannot be done without, and the routes to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Qualification {
    /// What you end up holding: "NMC registration as a nurse".
    pub name: String,
    /// A short overview for the role page.
    pub route: String,
    /// Where the routes, fees and funding below apply: "England", "England and Wales".
    pub applies_in: String,
    /// What differs in the rest of the UK, in a sentence or two.
    pub elsewhere: String,
    /// The usual route for a career changer first.
    pub routes: Vec<EntryRoute>,
}

impl Qualification {
    /// The route timelines and pay are worked out for. Validation guarantees one exists.
    pub fn usual(&self) -> &EntryRoute {
        &self.routes[0]
    }

    pub fn others(&self) -> &[EntryRoute] {
        &self.routes[1..]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Activity {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// Where the salary bands come from, shown beside them: a national pay scale or
    /// "typical advertised salaries".
    pub pay_basis: String,
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

/// An FAQ entry an admin wrote for one transition; the answer is Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FaqEntry {
    pub question: String,
    pub answer: String,
}

/// Extra words for one ordered pair of roles, shown on that guide only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PairNote {
    /// Markdown; may be empty when the note is only FAQ entries.
    pub note: String,
    pub faq: Vec<FaqEntry>,
}

impl PairNote {
    pub fn is_empty(&self) -> bool {
        self.note.trim().is_empty() && self.faq.is_empty()
    }
}

/// Everything guides are generated from, with lookups by slug.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub sectors: Vec<Sector>,
    pub skills: Vec<Skill>,
    /// Sorted by title. Only roles in use: retired ones are in `retired`.
    pub roles: Vec<Role>,
    /// Roles an admin has withdrawn. Their guides are gone, but saved transitions and plans
    /// that name them still need their titles and skills.
    pub retired: Vec<Role>,
    /// Old slug → the slug the role has now, for permanent redirects after a rename.
    pub redirects: HashMap<String, String>,
    /// Per-pair notes, keyed by (from, to).
    pub pair_notes: HashMap<(String, String), PairNote>,
    role_index: HashMap<String, usize>,
    retired_index: HashMap<String, usize>,
    skill_index: HashMap<String, usize>,
    /// Built with the indexes above, so like them it assumes `roles` and `skills` are not
    /// changed after `new`.
    skill_table: SkillTable,
    /// Per live role, in the order of `roles`, lists worked out from the catalogue when first
    /// asked for and kept while it lives (see `Remembered`).
    remembered: Vec<Remembered>,
}

/// A role's skills as (position in `Catalogue::skills`, weight in the overlap score),
/// ordered by position. Skills the catalogue does not know are left out.
pub type SkillWeights = Vec<(u32, u32)>;

/// `skill_weights` of every live role in one block, in the order of `roles`: ranking one
/// role against a thousand others then reads one small array instead of chasing a
/// thousand allocations and comparing slugs.
#[derive(Debug, Clone, Default)]
pub struct SkillTable {
    weights: Vec<(u32, u32)>,
    /// Where each role's weights start in `weights`, and one past the last role's end.
    starts: Vec<usize>,
    /// Each role's whole weight.
    totals: Vec<u32>,
}

impl SkillTable {
    /// The weights of the live role at `at` (a position in `Catalogue::roles`).
    pub fn of(&self, at: usize) -> &[(u32, u32)] {
        &self.weights[self.starts[at]..self.starts[at + 1]]
    }

    pub fn total(&self, at: usize) -> u32 {
        self.totals[at]
    }

    pub fn len(&self) -> usize {
        self.totals.len()
    }

    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }
}

/// What pages work out from one live role alone, kept from the first time it is needed
/// for as long as the catalogue: every guide to or from the role reads the same values, and
/// with a thousand roles most guides are rendered rather than served from the page cache.
#[derive(Debug, Clone, Default)]
pub struct Remembered {
    /// `transition::best_moves_from` without a move left out.
    pub moves_from: OnceLock<Vec<RankedMove>>,
    /// `transition::best_moves_into` without a move left out.
    pub moves_into: OnceLock<Vec<RankedMove>>,
    pub prose: OnceLock<RoleProse>,
    /// The digest of everything about the role a page shows (see `guide::guide_inputs`).
    pub digest: OnceLock<u64>,
}

/// A role's admin-written Markdown, rendered and sanitised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleProse {
    pub appeal: Html,
    pub challenges: Html,
    /// Each activity's description, in order.
    pub activities: Vec<Html>,
}

impl RoleProse {
    pub fn of(role: &Role) -> Self {
        Self {
            appeal: Html::markdown(&role.appeal),
            challenges: Html::markdown(&role.challenges),
            activities: role
                .activities
                .iter()
                .map(|a| Html::markdown(&a.description))
                .collect(),
        }
    }
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
        let mut catalogue = Self {
            sectors,
            skills,
            roles,
            role_index,
            skill_index,
            ..Self::default()
        };
        let problems = catalogue.problems();
        if problems.is_empty() {
            let mut table = SkillTable {
                starts: vec![0],
                ..SkillTable::default()
            };
            for role in &catalogue.roles {
                let weights = catalogue.skill_weights(role);
                table.totals.push(weights.iter().map(|&(_, w)| w).sum());
                table.weights.extend(weights);
                table.starts.push(table.weights.len());
            }
            catalogue.skill_table = table;
            catalogue.remembered = vec![Remembered::default(); catalogue.roles.len()];
            Ok(catalogue)
        } else {
            Err(CatalogueError { problems })
        }
    }

    /// `role`'s skills by position and weight; any role, live, retired or a person's own.
    pub fn skill_weights(&self, role: &Role) -> SkillWeights {
        let mut weights: SkillWeights = role
            .skills
            .iter()
            .filter_map(|rs| {
                let at = *self.skill_index.get(&rs.skill)?;
                Some((u32::try_from(at).ok()?, rs.importance.weight()))
            })
            .collect();
        weights.sort_unstable();
        weights
    }

    /// `skill_weights` of every live role, in the order of `roles`.
    pub fn skill_table(&self) -> &SkillTable {
        &self.skill_table
    }

    /// Where `role` sits in `roles`, if it is that very live role (not a copy of it, such
    /// as a person's own skills under the role's slug).
    pub fn position_of(&self, role: &Role) -> Option<usize> {
        let at = self.role_position(&role.slug)?;
        std::ptr::eq(role, &self.roles[at]).then_some(at)
    }

    /// Where the live role `slug` sits in `roles`.
    pub fn role_position(&self, slug: &str) -> Option<usize> {
        self.role_index.get(slug).copied()
    }

    /// What is kept for `role`, if it is that very live role (see `position_of`).
    pub fn remembered(&self, role: &Role) -> Option<&Remembered> {
        self.remembered.get(self.position_of(role)?)
    }

    /// Adds the retired roles, redirects and per-pair notes stored beside the live roles.
    pub fn with_history(
        mut self,
        mut retired: Vec<Role>,
        redirects: HashMap<String, String>,
        pair_notes: HashMap<(String, String), PairNote>,
    ) -> Result<Self, CatalogueError> {
        retired.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.slug.cmp(&b.slug)));
        let mut problems = Vec::new();
        for role in &retired {
            if self.role_index.contains_key(&role.slug) {
                problems.push(format!("role {:?} is both live and retired", role.slug));
            }
        }
        if !problems.is_empty() {
            return Err(CatalogueError { problems });
        }
        self.retired_index = retired
            .iter()
            .enumerate()
            .map(|(i, r)| (r.slug.clone(), i))
            .collect();
        self.retired = retired;
        self.redirects = redirects;
        self.pair_notes = pair_notes;
        Ok(self)
    }

    /// A live role.
    pub fn role(&self, slug: &str) -> Option<&Role> {
        self.role_index.get(slug).map(|&i| &self.roles[i])
    }

    /// A retired role.
    pub fn retired_role(&self, slug: &str) -> Option<&Role> {
        self.retired_index.get(slug).map(|&i| &self.retired[i])
    }

    /// A role, live or retired: what a saved transition or plan names.
    pub fn any_role(&self, slug: &str) -> Option<&Role> {
        self.role(slug).or_else(|| self.retired_role(slug))
    }

    /// The slug a renamed role answers as now, if `old` was one of its slugs.
    pub fn renamed(&self, old: &str) -> Option<&str> {
        self.redirects.get(old).map(String::as_str)
    }

    pub fn pair_note(&self, from: &str, to: &str) -> Option<&PairNote> {
        self.pair_notes.get(&(from.to_owned(), to.to_owned()))
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

impl Salary {
    /// Whether the bands climb: entry ≤ mid ≤ senior at both ends, each band running from
    /// its lower figure to its higher.
    pub fn order_problem(&self) -> Option<&'static str> {
        let s = self;
        let ordered = s.entry.min > 0
            && s.entry.min <= s.entry.max
            && s.mid.min <= s.mid.max
            && s.senior.min <= s.senior.max
            && s.entry.min <= s.mid.min
            && s.mid.min <= s.senior.min
            && s.entry.max <= s.mid.max
            && s.mid.max <= s.senior.max;
        (!ordered).then_some(
            "salary bands must run entry ≤ mid ≤ senior with min ≤ max (each band's figures \
             no lower than the band below)",
        )
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
    if let Some(problem) = role.salary.order_problem() {
        problems.push(format!("role {name:?}: {problem}"));
    }
    if role.pay_basis.trim().is_empty() {
        problems.push(format!("role {name:?}: name the basis of its pay figures"));
    }
    if let Some(q) = &role.qualification {
        if q.name.trim().is_empty() || q.applies_in.trim().is_empty() {
            problems.push(format!(
                "role {name:?}: qualification needs a name and the nations it applies in"
            ));
        }
        if q.routes.is_empty() {
            problems.push(format!(
                "role {name:?}: qualification needs at least one route"
            ));
        }
        for r in &q.routes {
            let sound = r.months > 0
                && r.unpaid_months <= r.months
                && r.apply_months.min <= r.apply_months.max
                && !r.name.trim().is_empty()
                && !r.cost.trim().is_empty()
                && !r.funding.trim().is_empty()
                && !r.entry_requirements.trim().is_empty();
            let paid_matches_kind = match r.kind {
                RouteKind::UnpaidStudy => r.unpaid_months > 0,
                RouteKind::PaidTraining | RouteKind::Apprenticeship => r.unpaid_months == 0,
            };
            if !sound || !paid_matches_kind {
                problems.push(format!(
                    "role {name:?}: route {:?} needs a name, a duration, unpaid months that \
                     match its kind, an application window, requirements, cost and funding",
                    r.name
                ));
            }
        }
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
            family: None,
        }
    }

    /// A one-route qualification, e.g. a three-year unpaid degree.
    pub fn qualification(name: &str, kind: RouteKind, months: u32) -> Qualification {
        let unpaid_months = if kind == RouteKind::UnpaidStudy {
            months
        } else {
            0
        };
        Qualification {
            name: name.into(),
            route: "Most people train on an approved course.".into(),
            applies_in: "in England".into(),
            elsewhere: "Scotland, Wales and Northern Ireland fund training their own way.".into(),
            routes: vec![EntryRoute {
                name: "an approved course".into(),
                kind,
                months,
                unpaid_months,
                apply_months: MonthRange::new(4, 12),
                entry_requirements: "You need GCSE English and maths.".into(),
                cost: "£9,790 a year in tuition fees".into(),
                funding: "a student loan".into(),
                degree_required: false,
            }],
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
            pay_basis: "typical advertised salaries".into(),
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
                    timing: SkillTiming::default_for(*i),
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
            timing: SkillTiming::BeforeApplying,
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
