//! `/admin/roles`: list, add, edit (with a preview of the page and a guide before
//! publishing), rename with redirects, retire and bring back.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::NaiveDate;

use super::{Fields, FormErrors, publish, see_other, to_json};
use crate::db::admin::{Entity, NewRevision, Write};
use crate::domain::catalogue::{
    Activity, Band, Catalogue, EntryRoute, Importance, MonthRange, Qualification, Role, RoleSkill,
    RouteKind, Salary, SkillTiming,
};
use crate::domain::editing::{Edit, RoleVersion, apply};
use crate::domain::guide::guide_path;
use crate::domain::slug::Slug;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::layout::{Layout, render};
use crate::web::visitor::{Admin, AdminForm};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(new_form)
        .service(create)
        .service(edit_form)
        .service(update)
        .service(set_retired);
}

/// Blank rows offered below the filled ones, so a row can be added without JavaScript.
const SPARE_SKILL_ROWS: usize = 3;
const SPARE_ROUTE_ROWS: usize = 1;
const ACTIVITY_ROWS: usize = 3;
const MAX_TEXT: usize = 4000;

#[derive(Template)]
#[template(path = "admin/roles.html")]
struct IndexPage<'a> {
    layout: Layout,
    live: &'a [Role],
    retired: &'a [Role],
}

#[get("/admin/roles")]
async fn index(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    render(
        StatusCode::OK,
        &IndexPage {
            layout: super::layout(&req, &admin),
            live: &catalogue.roles,
            retired: &catalogue.retired,
        },
    )
}

#[derive(Debug, Clone, Default)]
pub struct SkillDraft {
    pub skill: String,
    pub importance: String,
    pub timing: String,
    pub usage: String,
}

#[derive(Debug, Clone, Default)]
pub struct ActivityDraft {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Default)]
pub struct RouteDraft {
    pub name: String,
    pub kind: String,
    pub months: String,
    pub unpaid: String,
    pub apply_min: String,
    pub apply_max: String,
    pub requirements: String,
    pub cost: String,
    pub funding: String,
    pub degree: bool,
}

/// The role form as typed: every value a string, so a bad one comes back exactly as it
/// was entered, next to its message.
#[derive(Debug, Clone, Default)]
pub struct RoleDraft {
    /// The slug being edited; empty for a new role.
    pub original: String,
    pub title: String,
    pub slug: String,
    pub sector: String,
    pub summary: String,
    pub appeal: String,
    pub challenges: String,
    pub pay_basis: String,
    pub salary_reviewed: String,
    /// Entry, mid and senior, each min then max.
    pub salary: [String; 6],
    pub skills: Vec<SkillDraft>,
    pub activities: Vec<ActivityDraft>,
    pub interviewers_look_for: String,
    pub routes_in: String,
    pub regulated: bool,
    pub q_name: String,
    pub q_route: String,
    pub q_applies_in: String,
    pub q_elsewhere: String,
    pub routes: Vec<RouteDraft>,
    /// Which guide the preview shows: the role as the target of a move from this one.
    pub preview_from: String,
}

pub const SALARY_FIELDS: [(&str, &str); 6] = [
    ("entry_min", "Entry from"),
    ("entry_max", "Entry to"),
    ("mid_min", "Mid from"),
    ("mid_max", "Mid to"),
    ("senior_min", "Senior from"),
    ("senior_max", "Senior to"),
];

impl RoleDraft {
    pub fn from_role(role: &Role) -> Self {
        let s = role.salary;
        let q = role.qualification.as_ref();
        Self {
            original: role.slug.clone(),
            title: role.title.clone(),
            slug: role.slug.clone(),
            sector: role.sector.clone(),
            summary: role.summary.clone(),
            appeal: role.appeal.clone(),
            challenges: role.challenges.clone(),
            pay_basis: role.pay_basis.clone(),
            salary_reviewed: role.salary_reviewed.format("%Y-%m-%d").to_string(),
            salary: [
                s.entry.min,
                s.entry.max,
                s.mid.min,
                s.mid.max,
                s.senior.min,
                s.senior.max,
            ]
            .map(|v| v.to_string()),
            skills: role
                .skills
                .iter()
                .map(|rs| SkillDraft {
                    skill: rs.skill.clone(),
                    importance: rs.importance.as_str().to_owned(),
                    timing: rs.timing.as_str().to_owned(),
                    usage: rs.usage.clone(),
                })
                .collect(),
            activities: role
                .activities
                .iter()
                .map(|a| ActivityDraft {
                    title: a.title.clone(),
                    description: a.description.clone(),
                })
                .collect(),
            interviewers_look_for: role.interviewers_look_for.join("\n"),
            routes_in: role.routes_in.join("\n"),
            regulated: q.is_some(),
            q_name: q.map(|q| q.name.clone()).unwrap_or_default(),
            q_route: q.map(|q| q.route.clone()).unwrap_or_default(),
            q_applies_in: q.map(|q| q.applies_in.clone()).unwrap_or_default(),
            q_elsewhere: q.map(|q| q.elsewhere.clone()).unwrap_or_default(),
            routes: q
                .map(|q| {
                    q.routes
                        .iter()
                        .map(|r| RouteDraft {
                            name: r.name.clone(),
                            kind: r.kind.as_str().to_owned(),
                            months: r.months.to_string(),
                            unpaid: r.unpaid_months.to_string(),
                            apply_min: r.apply_months.min.to_string(),
                            apply_max: r.apply_months.max.to_string(),
                            requirements: r.entry_requirements.clone(),
                            cost: r.cost.clone(),
                            funding: r.funding.clone(),
                            degree: r.degree_required,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            preview_from: String::new(),
        }
    }

    pub fn from_fields(f: &Fields) -> Self {
        let skills = (0..f.rows("skill"))
            .map(|i| SkillDraft {
                skill: f.row("skill", i).trim().to_owned(),
                importance: f.row("importance", i).to_owned(),
                timing: f.row("timing", i).to_owned(),
                usage: f.row("usage", i).trim().to_owned(),
            })
            .collect();
        let activities = (0..f.rows("activity_title").max(f.rows("activity_description")))
            .map(|i| ActivityDraft {
                title: f.row("activity_title", i).trim().to_owned(),
                description: f.row("activity_description", i).trim().to_owned(),
            })
            .collect();
        let routes = (0..f.rows("route_name"))
            .map(|i| RouteDraft {
                name: f.row("route_name", i).trim().to_owned(),
                kind: f.row("route_kind", i).to_owned(),
                months: f.row("route_months", i).trim().to_owned(),
                unpaid: f.row("route_unpaid", i).trim().to_owned(),
                apply_min: f.row("route_apply_min", i).trim().to_owned(),
                apply_max: f.row("route_apply_max", i).trim().to_owned(),
                requirements: f.row("route_requirements", i).trim().to_owned(),
                cost: f.row("route_cost", i).trim().to_owned(),
                funding: f.row("route_funding", i).trim().to_owned(),
                degree: f.checked(&format!("route_degree_{i}")),
            })
            .collect();
        Self {
            original: f.get("original").to_owned(),
            title: f.get("title").trim().to_owned(),
            slug: f.get("slug").trim().to_owned(),
            sector: f.get("sector").to_owned(),
            summary: f.get("summary").trim().to_owned(),
            appeal: f.get("appeal").trim().to_owned(),
            challenges: f.get("challenges").trim().to_owned(),
            pay_basis: f.get("pay_basis").trim().to_owned(),
            salary_reviewed: f.get("salary_reviewed").trim().to_owned(),
            salary: SALARY_FIELDS.map(|(name, _)| f.get(name).trim().to_owned()),
            skills,
            activities,
            interviewers_look_for: f.get("interviewers_look_for").to_owned(),
            routes_in: f.get("routes_in").to_owned(),
            regulated: f.checked("regulated"),
            q_name: f.get("q_name").trim().to_owned(),
            q_route: f.get("q_route").trim().to_owned(),
            q_applies_in: f.get("q_applies_in").trim().to_owned(),
            q_elsewhere: f.get("q_elsewhere").trim().to_owned(),
            routes,
            preview_from: f.get("preview_from").to_owned(),
        }
    }

    /// Blank rows after the filled ones, for adding without JavaScript.
    fn with_spare_rows(mut self) -> Self {
        self.skills.retain(|s| !s.skill.is_empty());
        let spare = SPARE_SKILL_ROWS.max(6usize.saturating_sub(self.skills.len()));
        self.skills
            .extend((0..spare).map(|_| SkillDraft::default()));
        self.activities
            .retain(|a| !a.title.is_empty() || !a.description.is_empty());
        while self.activities.len() < ACTIVITY_ROWS {
            self.activities.push(ActivityDraft::default());
        }
        self.routes.retain(|r| !r.name.is_empty());
        self.routes
            .extend((0..SPARE_ROUTE_ROWS).map(|_| RouteDraft::default()));
        self
    }

    /// The role this draft describes, or what is wrong with it, by field.
    pub fn parse(&self, catalogue: &Catalogue) -> Result<Role, FormErrors> {
        let mut e = FormErrors::default();
        let text = |e: &mut FormErrors, name: &str, label: &str, value: &str| {
            if value.is_empty() {
                e.field(name, format!("{label}: enter some text."));
            } else if value.chars().count() > MAX_TEXT {
                e.field(name, format!("{label}: at most {MAX_TEXT} characters."));
            }
        };
        text(&mut e, "title", "Title", &self.title);
        if self.title.chars().count() > 80 {
            e.field("title", "Title: at most 80 characters.");
        }
        if let Err(err) = Slug::parse(&self.slug) {
            e.field("slug", format!("Slug: {err}."));
        }
        if catalogue.sector(&self.sector).is_none() {
            e.field("sector", "Sector: choose one from the list.");
        }
        text(&mut e, "summary", "Summary", &self.summary);
        text(&mut e, "appeal", "What draws people", &self.appeal);
        text(&mut e, "challenges", "The hard parts", &self.challenges);
        text(
            &mut e,
            "pay_basis",
            "Basis of the pay figures",
            &self.pay_basis,
        );
        let reviewed = NaiveDate::parse_from_str(&self.salary_reviewed, "%Y-%m-%d");
        if reviewed.is_err() {
            e.field(
                "salary_reviewed",
                "Salary review date: enter a date as YYYY-MM-DD.",
            );
        }
        let mut money = [0i64; 6];
        for (i, (name, label)) in SALARY_FIELDS.iter().enumerate() {
            let raw = self.salary[i].replace([',', '£', ' '], "");
            match raw.parse::<i64>() {
                Ok(v) if (1..=10_000_000).contains(&v) => money[i] = v,
                _ => e.field(
                    *name,
                    format!("{label}: enter a yearly salary in pounds, e.g. 32000."),
                ),
            }
        }
        let salary = Salary {
            entry: Band {
                min: money[0],
                max: money[1],
            },
            mid: Band {
                min: money[2],
                max: money[3],
            },
            senior: Band {
                min: money[4],
                max: money[5],
            },
        };
        if !SALARY_FIELDS.iter().any(|(name, _)| e.get(name).is_some())
            && let Some(problem) = salary.order_problem()
        {
            e.field("salary", format!("Salary: {problem}"));
        }
        let mut skills = Vec::new();
        for (i, row) in self.skills.iter().enumerate() {
            // A row without a skill is a removed (or unused) row, whatever else it holds.
            if row.skill.is_empty() {
                continue;
            }
            if catalogue.skill(&row.skill).is_none() {
                e.field(
                    format!("skill_{i}"),
                    format!(
                        "Skill row {}: \"{}\" is not a skill in the catalogue.",
                        i + 1,
                        row.skill
                    ),
                );
                continue;
            }
            let importance = Importance::parse(&row.importance);
            let timing = SkillTiming::parse(&row.timing);
            if row.usage.is_empty() {
                e.field(
                    format!("usage_{i}"),
                    format!("Skill row {}: say how the role uses it.", i + 1),
                );
            }
            match (importance, timing) {
                (Some(importance), Some(timing)) => skills.push(RoleSkill {
                    skill: row.skill.clone(),
                    importance,
                    usage: row.usage.clone(),
                    timing,
                }),
                _ => e.field(
                    format!("skill_{i}"),
                    format!(
                        "Skill row {}: choose core or supporting, and when it is needed.",
                        i + 1
                    ),
                ),
            }
        }
        let mut seen = std::collections::HashSet::new();
        for s in &skills {
            if !seen.insert(s.skill.as_str()) {
                e.field(
                    "skills",
                    format!(
                        "Skills: \"{}\" is listed twice.",
                        catalogue
                            .skill(&s.skill)
                            .map_or(s.skill.as_str(), |k| k.name.as_str())
                    ),
                );
            }
        }
        if !(6..=12).contains(&skills.len()) && e.get("skills").is_none() {
            e.field(
                "skills",
                format!(
                    "Skills: a role needs 6 to 12 skills; this has {}.",
                    skills.len()
                ),
            );
        }
        if !skills.is_empty() && !skills.iter().any(|s| s.importance == Importance::Core) {
            e.field("skills", "Skills: mark at least one skill as core.");
        }
        let mut activities = Vec::new();
        for (i, a) in self.activities.iter().enumerate() {
            match (a.title.is_empty(), a.description.is_empty()) {
                (true, true) => {}
                (false, false) => activities.push(Activity {
                    title: a.title.clone(),
                    description: a.description.clone(),
                }),
                _ => e.field(
                    format!("activity_{i}"),
                    format!(
                        "Day-to-day {}: give both a heading and a description.",
                        i + 1
                    ),
                ),
            }
        }
        if !(2..=3).contains(&activities.len()) && e.get("activities").is_none() {
            e.field("activities", "Day-to-day: describe 2 or 3 activities.");
        }
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let interviewers_look_for = lines(&self.interviewers_look_for);
        if interviewers_look_for.is_empty() {
            e.field(
                "interviewers_look_for",
                "Interview focus: write at least one line.",
            );
        }
        let routes_in = lines(&self.routes_in);
        if routes_in.is_empty() {
            e.field("routes_in", "Routes in: write at least one line.");
        }
        let qualification = if self.regulated {
            self.qualification(&mut e)
        } else {
            None
        };
        let Ok(salary_reviewed) = reviewed else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Role {
            slug: self.slug.clone(),
            title: self.title.clone(),
            sector: self.sector.clone(),
            summary: self.summary.clone(),
            appeal: self.appeal.clone(),
            challenges: self.challenges.clone(),
            interviewers_look_for,
            routes_in,
            salary_reviewed,
            salary,
            pay_basis: self.pay_basis.clone(),
            qualification,
            skills,
            activities,
        })
    }

    fn qualification(&self, e: &mut FormErrors) -> Option<Qualification> {
        if self.q_name.is_empty() {
            e.field("q_name", "Qualification: give its name.");
        }
        if self.q_applies_in.is_empty() {
            e.field(
                "q_applies_in",
                "Qualification: say where it applies, e.g. \"in England\".",
            );
        }
        let mut routes = Vec::new();
        for (i, r) in self.routes.iter().enumerate() {
            if r.name.is_empty() {
                continue;
            }
            let n = |raw: &str| raw.parse::<u32>().ok().filter(|m| *m <= 240);
            let (Some(kind), Some(months), Some(unpaid), Some(apply_min), Some(apply_max)) = (
                RouteKind::parse(&r.kind),
                n(&r.months).filter(|m| *m > 0),
                n(&r.unpaid),
                n(&r.apply_min),
                n(&r.apply_max),
            ) else {
                e.field(
                    format!("route_{i}"),
                    format!(
                        "Route {} ({}): choose its kind and give its months as whole numbers (length at least 1).",
                        i + 1,
                        r.name
                    ),
                );
                continue;
            };
            if r.requirements.is_empty() || r.cost.is_empty() || r.funding.is_empty() {
                e.field(
                    format!("route_{i}"),
                    format!(
                        "Route {} ({}): give its entry requirements, cost and funding.",
                        i + 1,
                        r.name
                    ),
                );
                continue;
            }
            let unpaid_ok = match kind {
                RouteKind::UnpaidStudy => unpaid > 0 && unpaid <= months,
                RouteKind::PaidTraining | RouteKind::Apprenticeship => unpaid == 0,
            };
            if !unpaid_ok || apply_min > apply_max {
                e.field(
                    format!("route_{i}"),
                    format!(
                        "Route {} ({}): unpaid months must be 0 for paid training and apprenticeships, 1 to the route's length for unpaid study, and the application window must run from the smaller number to the larger.",
                        i + 1,
                        r.name
                    ),
                );
                continue;
            }
            routes.push(EntryRoute {
                name: r.name.clone(),
                kind,
                months,
                unpaid_months: unpaid,
                apply_months: MonthRange::new(apply_min, apply_max),
                entry_requirements: r.requirements.clone(),
                cost: r.cost.clone(),
                funding: r.funding.clone(),
                degree_required: r.degree,
            });
        }
        if routes.is_empty() && e.fields.keys().all(|k| !k.starts_with("route_")) {
            e.field(
                "routes",
                "Qualification: describe at least one route to it.",
            );
        }
        Some(Qualification {
            name: self.q_name.clone(),
            route: self.q_route.clone(),
            applies_in: self.q_applies_in.clone(),
            elsewhere: self.q_elsewhere.clone(),
            routes,
        })
    }
}

#[derive(Template)]
#[template(path = "admin/role_form.html")]
struct FormPage<'a> {
    layout: Layout,
    heading: String,
    action: String,
    draft: RoleDraft,
    errors: FormErrors,
    catalogue: &'a Catalogue,
    retired: bool,
    /// The role page and a guide, rendered from the unsaved edit.
    preview: Option<Preview>,
    revisions: Vec<crate::db::admin::Revision>,
}

struct Preview {
    role_body: String,
    guide_title: String,
    guide_body: String,
}

impl FormPage<'_> {
    fn err(&self, name: &str) -> Option<&str> {
        self.errors.get(name)
    }

    fn salary_value(&self, i: &usize) -> &str {
        &self.draft.salary[*i]
    }
}

fn form_page<'a>(
    req: &HttpRequest,
    admin: &Admin,
    catalogue: &'a Catalogue,
    draft: RoleDraft,
    errors: FormErrors,
    revisions: Vec<crate::db::admin::Revision>,
) -> FormPage<'a> {
    let retired = catalogue.retired_role(&draft.original).is_some();
    let (heading, action) = if draft.original.is_empty() {
        ("Add a role".to_owned(), "/admin/roles/new".to_owned())
    } else {
        (
            format!(
                "Edit {}",
                catalogue
                    .any_role(&draft.original)
                    .map_or(draft.title.as_str(), |r| r.title.as_str())
            ),
            format!("/admin/roles/{}", draft.original),
        )
    };
    FormPage {
        layout: super::layout(req, admin),
        heading,
        action,
        draft: draft.with_spare_rows(),
        errors,
        catalogue,
        retired,
        preview: None,
        revisions,
    }
}

#[get("/admin/roles/new")]
async fn new_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let draft = RoleDraft {
        sector: catalogue
            .sectors
            .first()
            .map(|s| s.slug.clone())
            .unwrap_or_default(),
        salary_reviewed: chrono::Utc::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string(),
        ..RoleDraft::default()
    };
    render(
        StatusCode::OK,
        &form_page(
            &req,
            &admin,
            &catalogue,
            draft,
            FormErrors::default(),
            Vec::new(),
        ),
    )
}

#[get("/admin/roles/{slug}")]
async fn edit_form(
    req: HttpRequest,
    admin: Admin,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let Some(role) = catalogue.any_role(&slug) else {
        return Err(AppError::NotFound);
    };
    let draft = RoleDraft::from_role(role);
    let revisions = role_revisions(&state, &role.slug).await?;
    render(
        StatusCode::OK,
        &form_page(
            &req,
            &admin,
            &catalogue,
            draft,
            FormErrors::default(),
            revisions,
        ),
    )
}

async fn role_revisions(
    state: &AppState,
    slug: &str,
) -> Result<Vec<crate::db::admin::Revision>, AppError> {
    let slug = slug.to_owned();
    Ok(crate::db::run(&state.pool, move |conn| {
        crate::db::admin::revisions(conn, Some((Entity::Role, &slug)), 20)
    })
    .await?)
}

#[post("/admin/roles/new")]
async fn create(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let mut draft = RoleDraft::from_fields(&form);
    draft.original.clear();
    save(&req, &admin, &state, &form, draft).await
}

#[post("/admin/roles/{slug}")]
async fn update(
    req: HttpRequest,
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if state.content.catalogue().any_role(&slug).is_none() {
        return Err(AppError::NotFound);
    }
    let mut draft = RoleDraft::from_fields(&form);
    draft.original = slug.into_inner();
    save(&req, &admin, &state, &form, draft).await
}

/// Checks a submitted role; previews it, or publishes it with a revision.
async fn save(
    req: &HttpRequest,
    admin: &Admin,
    state: &AppState,
    fields: &Fields,
    draft: RoleDraft,
) -> Result<HttpResponse, AppError> {
    let catalogue = state.content.catalogue();
    let original = (!draft.original.is_empty()).then(|| draft.original.clone());
    let revisions = match &original {
        Some(slug) => role_revisions(state, slug).await?,
        None => Vec::new(),
    };
    let invalid = |draft: RoleDraft, errors: FormErrors| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &form_page(req, admin, &catalogue, draft, errors, revisions.clone()),
        )
    };
    let role = match draft.parse(&catalogue) {
        Ok(role) => role,
        Err(errors) => return invalid(draft, errors),
    };
    let edit = Edit::SaveRole {
        original: original.clone(),
        role: Box::new(role.clone()),
    };
    let candidate = match apply(&catalogue, &edit) {
        Ok(c) => c,
        Err(problems) => {
            let errors = FormErrors {
                general: problems.problems,
                ..FormErrors::default()
            };
            return invalid(draft, errors);
        }
    };
    if fields.previewing() {
        let mut page = form_page(
            req,
            admin,
            &catalogue,
            draft.clone(),
            FormErrors::default(),
            revisions.clone(),
        );
        page.preview = preview(state, &candidate, &role, &draft.preview_from)?;
        if page.preview.is_none() {
            page.errors.general.push(
                "A retired role has no public pages to preview. Its changes show in saved moves and plans."
                    .to_owned(),
            );
        }
        return render(StatusCode::OK, &page);
    }
    let before = match &original {
        Some(slug) => catalogue
            .role_version(slug)
            .map(|v| to_json(&v))
            .transpose()?,
        None => None,
    };
    let retired = candidate.retired_role(&role.slug).is_some();
    let after = to_json(&RoleVersion {
        role: role.clone(),
        retired,
    })?;
    let summary = match &original {
        None => format!("Added {}", role.title),
        Some(old) if *old != role.slug => {
            format!("Edited {} (slug {old} → {})", role.title, role.slug)
        }
        Some(_) => format!("Edited {}", role.title),
    };
    let action = if original.is_none() {
        "added role"
    } else {
        "edited role"
    };
    let slug = role.slug.clone();
    publish(state, admin, move |conn, actor, now| {
        crate::db::admin::publish(
            conn,
            actor,
            &[Write::Role {
                original: original.as_deref(),
                role: &role,
            }],
            vec![NewRevision {
                entity: Entity::Role,
                key: role.slug.clone(),
                summary,
                before,
                after: Some(after),
            }],
            action,
            &role.slug,
            now,
        )
    })
    .await?;
    Ok(see_other(&format!("/admin/roles/{slug}?published=1")))
}

/// The role's page and one guide into it, rendered from the candidate catalogue and kept
/// out of the cache.
fn preview(
    state: &AppState,
    candidate: &Catalogue,
    role: &Role,
    preview_from: &str,
) -> Result<Option<Preview>, AppError> {
    let base = state.content.base_url();
    let Some(role_page) = crate::web::roles::render_role(candidate, &role.slug, base)? else {
        return Ok(None);
    };
    let from = candidate
        .role(preview_from)
        .filter(|r| r.slug != role.slug)
        .or_else(|| candidate.roles.iter().find(|r| r.slug != role.slug));
    let (guide_title, guide_body) = match from {
        Some(from) => {
            match crate::web::guides::render_guide(candidate, &from.slug, &role.slug, base)? {
                Some(page) => (
                    format!(
                        "{} to {} ({})",
                        from.title,
                        role.title,
                        guide_path(&from.slug, &role.slug)
                    ),
                    page.body,
                ),
                None => (String::new(), String::new()),
            }
        }
        None => (String::new(), String::new()),
    };
    Ok(Some(Preview {
        role_body: role_page.body,
        guide_title,
        guide_body,
    }))
}

/// Retires a role (its guides answer 410 with alternatives; saved moves and plans keep
/// working) or brings it back.
#[post("/admin/roles/{slug}/retired")]
async fn set_retired(
    AdminForm { who: admin, form }: AdminForm<Fields>,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let catalogue = state.content.catalogue();
    let Some(before) = catalogue.role_version(&slug) else {
        return Err(AppError::NotFound);
    };
    let retired = form.get("retired") == "yes";
    if before.retired == retired {
        return Ok(see_other(&format!("/admin/roles/{slug}")));
    }
    let edit = Edit::SetRetired {
        slug: slug.clone(),
        retired,
    };
    if let Err(problems) = apply(&catalogue, &edit) {
        return Err(AppError::BadRequest(format!(
            "This role cannot be brought back as it is: {problems}"
        )));
    }
    let after = RoleVersion {
        role: before.role.clone(),
        retired,
    };
    let (summary, action) = if retired {
        (format!("Retired {}", before.role.title), "retired role")
    } else {
        (
            format!("Brought back {}", before.role.title),
            "restored role",
        )
    };
    let (before_json, after_json) = (to_json(&before)?, to_json(&after)?);
    let key = slug.clone();
    publish(&state, &admin, move |conn, actor, now| {
        crate::db::admin::publish(
            conn,
            actor,
            &[Write::Retired {
                slug: &key,
                retired,
            }],
            vec![NewRevision {
                entity: Entity::Role,
                key: key.clone(),
                summary,
                before: Some(before_json),
                after: Some(after_json),
            }],
            action,
            &key,
            now,
        )
    })
    .await?;
    Ok(see_other(&format!("/admin/roles/{slug}?published=1")))
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::domain::fuzz::random_input;

    /// Values that are nearly right: numbers in odd shapes, dates, choices, blanks.
    const NEAR_MISSES: &[&str] = &[
        "",
        " ",
        "0",
        "-1",
        "35000",
        "35,000",
        "£35000",
        "3.5e4",
        "99999999999999999999",
        "٣٥٠٠٠",
        "2026-02-30",
        "2026-12-01",
        "core",
        "supporting",
        "before",
        "on_the_job",
        "sql",
        "data-analyst",
        "technology",
        "apprenticeship",
    ];

    fn value(rng: &mut StdRng) -> String {
        if rng.random_bool(0.5) {
            NEAR_MISSES[rng.random_range(0..NEAR_MISSES.len())].to_owned()
        } else {
            random_input(rng)
        }
    }

    /// Names the role form sends, with row numbers in and out of range.
    fn name(rng: &mut StdRng) -> String {
        const NAMES: &[&str] = &[
            "title",
            "slug",
            "sector",
            "summary",
            "appeal",
            "challenges",
            "pay_basis",
            "salary_reviewed",
            "entry_min",
            "entry_max",
            "mid_min",
            "mid_max",
            "senior_min",
            "senior_max",
            "interviewers_look_for",
            "routes_in",
            "regulated",
            "q_name",
            "q_route",
            "q_applies_in",
            "q_elsewhere",
            "original",
            "action",
            "preview_from",
        ];
        const ROWS: &[&str] = &[
            "skill",
            "importance",
            "timing",
            "usage",
            "activity_title",
            "activity_description",
            "route_name",
            "route_kind",
            "route_months",
            "route_unpaid",
            "route_apply_min",
            "route_apply_max",
            "route_requirements",
            "route_cost",
            "route_funding",
            "route_degree",
        ];
        if rng.random_bool(0.4) {
            NAMES[rng.random_range(0..NAMES.len())].to_owned()
        } else {
            let row = match rng.random_range(0..10) {
                0 => "18446744073709551616".to_owned(),
                1 => "-1".to_owned(),
                2 => "x".to_owned(),
                _ => rng.random_range(0..50).to_string(),
            };
            format!("{}_{row}", ROWS[rng.random_range(0..ROWS.len())])
        }
    }

    fn fields(pairs: Vec<(String, String)>) -> Fields {
        serde_json::from_value(serde_json::to_value(pairs).unwrap()).unwrap()
    }

    /// What the edit form sends for `role`, as a browser would submit it.
    fn submitted(role: &Role) -> Vec<(String, String)> {
        let draft = RoleDraft::from_role(role);
        let mut pairs: Vec<(String, String)> = vec![
            ("original".into(), role.slug.clone()),
            ("title".into(), draft.title),
            ("slug".into(), draft.slug),
            ("sector".into(), draft.sector),
            ("summary".into(), draft.summary),
            ("appeal".into(), draft.appeal),
            ("challenges".into(), draft.challenges),
            ("pay_basis".into(), draft.pay_basis),
            ("salary_reviewed".into(), draft.salary_reviewed),
            ("interviewers_look_for".into(), draft.interviewers_look_for),
            ("routes_in".into(), draft.routes_in),
            ("q_name".into(), draft.q_name),
            ("q_route".into(), draft.q_route),
            ("q_applies_in".into(), draft.q_applies_in),
            ("q_elsewhere".into(), draft.q_elsewhere),
        ];
        if draft.regulated {
            pairs.push(("regulated".into(), "on".into()));
        }
        for ((name, _), value) in SALARY_FIELDS.iter().zip(draft.salary) {
            pairs.push(((*name).into(), value));
        }
        for (i, s) in draft.skills.into_iter().enumerate() {
            pairs.push((format!("skill_{i}"), s.skill));
            pairs.push((format!("importance_{i}"), s.importance));
            pairs.push((format!("timing_{i}"), s.timing));
            pairs.push((format!("usage_{i}"), s.usage));
        }
        for (i, a) in draft.activities.into_iter().enumerate() {
            pairs.push((format!("activity_title_{i}"), a.title));
            pairs.push((format!("activity_description_{i}"), a.description));
        }
        for (i, r) in draft.routes.into_iter().enumerate() {
            pairs.push((format!("route_name_{i}"), r.name));
            pairs.push((format!("route_kind_{i}"), r.kind));
            pairs.push((format!("route_months_{i}"), r.months));
            pairs.push((format!("route_unpaid_{i}"), r.unpaid));
            pairs.push((format!("route_apply_min_{i}"), r.apply_min));
            pairs.push((format!("route_apply_max_{i}"), r.apply_max));
            pairs.push((format!("route_requirements_{i}"), r.requirements));
            pairs.push((format!("route_cost_{i}"), r.cost));
            pairs.push((format!("route_funding_{i}"), r.funding));
            if r.degree {
                pairs.push((format!("route_degree_{i}"), "on".into()));
            }
        }
        pairs
    }

    #[test]
    fn every_shipped_role_survives_its_own_edit_form_unchanged() {
        let catalogue = crate::catalogue::bundled().unwrap();
        for role in &catalogue.roles {
            let draft = RoleDraft::from_fields(&fields(submitted(role)));
            let parsed = draft
                .parse(&catalogue)
                .unwrap_or_else(|e| panic!("{}: {:?}", role.slug, e.summary()));
            assert_eq!(&parsed, role);
        }
    }

    /// Seeded random edits of real forms, and forms of random fields: the parser never
    /// panics, a refusal always says why, and whatever it accepts keeps the catalogue's
    /// rules (the same check a publish runs before storing anything).
    #[test]
    fn random_role_forms_never_panic_and_what_they_accept_keeps_every_rule() {
        let catalogue = crate::catalogue::bundled().unwrap();
        let mut rng = StdRng::seed_from_u64(20261204);
        let (mut accepted, mut refused) = (0, 0);
        for round in 0..1500 {
            let mut pairs = if round % 5 == 0 {
                Vec::new()
            } else {
                submitted(&catalogue.roles[rng.random_range(0..catalogue.roles.len())])
            };
            for _ in 0..rng.random_range(0..4) {
                let (name, value) = (name(&mut rng), value(&mut rng));
                match pairs.iter_mut().find(|(k, _)| *k == name) {
                    Some(pair) if rng.random_bool(0.8) => pair.1 = value,
                    _ => pairs.push((name, value)),
                }
            }
            if !pairs.is_empty() && rng.random_bool(0.1) {
                pairs.remove(rng.random_range(0..pairs.len()));
            }
            let form = fields(pairs);
            assert!(form.rows("skill") <= crate::web::visitor::MAX_ROWS);
            let draft = RoleDraft::from_fields(&form);
            match draft.parse(&catalogue) {
                Ok(role) => {
                    accepted += 1;
                    let s = &role.salary;
                    assert!(s.entry.min <= s.entry.max && s.entry.max <= s.mid.max);
                    assert!(s.mid.min <= s.mid.max && s.mid.max <= s.senior.max);
                    assert!(
                        (6..=12).contains(&role.skills.len()),
                        "{}",
                        role.skills.len()
                    );
                    assert!(!role.title.trim().is_empty());
                    let original = (!draft.original.is_empty()).then(|| draft.original.clone());
                    let edit = Edit::SaveRole {
                        original,
                        role: Box::new(role),
                    };
                    // The whole-catalogue check may still refuse (a clash of slugs, say),
                    // but never by panicking.
                    let _ = apply(&catalogue, &edit);
                }
                Err(errors) => {
                    refused += 1;
                    assert!(!errors.is_empty());
                    assert!(errors.summary().iter().all(|m| !m.trim().is_empty()));
                }
            }
        }
        assert!(
            accepted > 100 && refused > 100,
            "{accepted} accepted, {refused} refused"
        );
    }
}
