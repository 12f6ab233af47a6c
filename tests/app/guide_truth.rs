//! Every guide, read as a careers adviser would check it: the figures that decide whether
//! someone switches must agree with each other and with the facts on the page.

use std::collections::HashMap;

use futures_util::StreamExt;

use crate::helpers::{between, spawn_app, visible_text};

/// What one rendered guide states, read back from its HTML.
#[derive(Debug, Clone)]
struct Page {
    path: String,
    overlap: u32,
    difficulty: String,
    timeline: (u32, u32),
    pay_change: String,
    /// Into a role with a qualification: the page carries a "Paid while you train?" fact.
    qualification: bool,
    /// (role, level) → (min, max) from the salary table.
    bands: HashMap<(String, String), (i64, i64)>,
    from_title: String,
    to_title: String,
    /// (skill, core?, weeks if studied before applying)
    build: Vec<(String, bool, Option<u32>)>,
    paragraphs: Vec<String>,
    text: String,
    html: String,
}

const DIFFICULTY_ORDER: [&str; 5] = [
    "Close move",
    "Moderate move",
    "Stretching move",
    "Fresh start",
    "Long route",
];

fn fact<'a>(html: &'a str, label: &str) -> Option<&'a str> {
    let start = html.find(&format!("<dt>{label}"))?;
    between(&html[start..], "<dd>", "</dd>")
}

fn numbers(s: &str) -> Vec<u64> {
    s.split(|c: char| !c.is_ascii_digit() && c != ',')
        .filter(|w| !w.is_empty() && w.chars().any(|c| c.is_ascii_digit()))
        .filter_map(|w| w.replace(',', "").parse().ok())
        .collect()
}

fn parse(path: &str, html: &str) -> Page {
    let text = visible_text(html);
    let overlap = fact(html, "Skill overlap")
        .and_then(|s| s.trim_end_matches('%').parse().ok())
        .unwrap_or_else(|| panic!("{path}: no overlap fact"));
    let difficulty = fact(html, "Difficulty").unwrap_or_default().to_owned();
    let timeline_dd = fact(html, "Time").unwrap_or_default();
    let t = numbers(timeline_dd);
    let pay_change = visible_text(fact(html, "Starting pay change").unwrap_or_default());
    let qualification = html.contains("<dt>Paid while you train?</dt>");
    let mut bands = HashMap::new();
    let table = between(html, "<tbody>", "</tbody>").unwrap_or_default();
    for row in table.split("<tr").skip(1) {
        let cells: Vec<String> = row
            .split(['<', '>'])
            .collect::<Vec<_>>()
            .chunks(2)
            .filter_map(|c| c.get(1).map(|s| s.to_string()))
            .filter(|s| !s.trim().is_empty())
            .collect();
        if let [role, level, range, ..] = cells.as_slice() {
            let n = numbers(range);
            if n.len() == 2 {
                bands.insert((role.clone(), level.clone()), (n[0] as i64, n[1] as i64));
            }
        }
    }
    let title = between(html, "<h1>", "</h1>").unwrap_or_default();
    let (from_title, to_title) = title.split_once(" to ").unwrap_or_default();
    let mut build = Vec::new();
    if let Some(list) = between(html, "<ol class=\"build-list\">", "</ol>") {
        for item in list.split("<li>").skip(1) {
            let skill = visible_text(between(item, "<h3>", " <span").unwrap_or_default());
            let core = item.contains("tag-core");
            let weeks = between(item, "<p class=\"meta\">About ", " ").and_then(|w| w.parse().ok());
            build.push((skill, core, weeks));
        }
    }
    let article = between(html, "<article", "</article>").unwrap_or_default();
    let mut paragraphs = Vec::new();
    for (open, close) in [("<p", "</p>"), ("<dd", "</dd>")] {
        for part in article.split(open).skip(1) {
            let Some(inner) = part.split_once('>').map(|(_, rest)| rest) else {
                continue;
            };
            let inner = inner.split(close).next().unwrap_or_default();
            let p = visible_text(inner);
            if p.chars().count() > 40 {
                paragraphs.push(p);
            }
        }
    }
    Page {
        path: path.to_owned(),
        overlap,
        difficulty,
        timeline: (t[0] as u32, t[1] as u32),
        pay_change,
        qualification,
        bands,
        from_title: from_title.to_owned(),
        to_title: to_title.to_owned(),
        build,
        paragraphs,
        text,
        html: html.to_owned(),
    }
}

fn midpoint((min, max): (i64, i64)) -> i64 {
    (min + max) / 2
}

/// Problems one guide has on its own.
fn problems_in(p: &Page) -> Vec<String> {
    let mut out = Vec::new();
    let (tmin, tmax) = p.timeline;

    // A pay cut headline for a high-overlap move between roles at the same level.
    let from_mid = p.bands.get(&(p.from_title.clone(), "Mid".into())).copied();
    let to_mid = p.bands.get(&(p.to_title.clone(), "Mid".into())).copied();
    if let (Some(a), Some(b)) = (from_mid, to_mid) {
        let (a, b) = (midpoint(a), midpoint(b));
        let same_level = (b - a).abs() * 10 < a;
        if same_level && p.overlap >= 60 && !p.qualification && p.pay_change.starts_with('−') {
            out.push(format!(
                "pay cut {} for a {}% overlap between same-level roles",
                p.pay_change, p.overlap
            ));
        }
    } else {
        out.push("salary table lacks mid-level rows".into());
    }

    // Over 12 months into a role with no qualification, from a role that holds its core skills.
    let core_gap = p.build.iter().any(|(_, core, _)| *core);
    if !p.qualification && !core_gap && tmax > 12 {
        out.push(format!(
            "{tmin}–{tmax} months although every core skill is already held"
        ));
    }

    // A paragraph, or a long sentence, said twice.
    let mut seen = HashMap::new();
    for para in &p.paragraphs {
        *seen.entry(para.clone()).or_insert(0) += 1;
    }
    for (para, n) in &seen {
        if *n > 1 {
            out.push(format!("paragraph repeated: {para:?}"));
        }
    }
    let mut sentences = HashMap::new();
    for para in &p.paragraphs {
        for s in para.split_inclusive(['.', '?']) {
            let s = s.trim();
            if s.chars().count() > 60 {
                *sentences.entry(s.to_owned()).or_insert(0) += 1;
            }
        }
    }
    for (s, n) in &sentences {
        if *n > 1 {
            out.push(format!("sentence repeated: {s:?}"));
        }
    }

    // A 6–12 month plan offered where the guide's own timeline cannot fit one.
    if p.text.contains("6–12 month plan") && (tmin > 12 || tmax < 6) {
        out.push(format!("6–12 month plan offered for {tmin}–{tmax} months"));
    }

    // The difficulty word agrees with the timeline it sits beside.
    let rank = DIFFICULTY_ORDER
        .iter()
        .position(|d| *d == p.difficulty)
        .unwrap_or_else(|| panic!("{}: unknown difficulty {:?}", p.path, p.difficulty));
    let ceiling = [6, 12, 24, 24, u32::MAX][rank];
    if rank < 4 && tmax > ceiling {
        out.push(format!("{} for a {tmin}–{tmax} month move", p.difficulty));
    }
    let said = p.difficulty.to_lowercase();
    for marker in ["It is a ", "it is a "] {
        for (i, _) in p.text.match_indices(marker) {
            let after = &p.text[i + marker.len()..];
            let Some((word, _)) = after.split_once(" with ") else {
                continue;
            };
            let named = DIFFICULTY_ORDER.iter().any(|d| d.to_lowercase() == word);
            if named && word != said {
                out.push(format!(
                    "FAQ calls it {word:?}, the key fact {:?}",
                    p.difficulty
                ));
            }
        }
    }

    // One figure stated two ways.
    let overlap = format!("{}%", p.overlap);
    if !p.text.contains(&format!("Overlap score: {overlap}")) {
        out.push("overlap score differs from the key fact".into());
    }
    for phrase in ["% skill overlap", "% overlap)"] {
        for (i, _) in p.text.match_indices(phrase) {
            let digits: String = p.text[..i]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .chars()
                .rev()
                .collect();
            if digits != p.overlap.to_string() {
                out.push(format!("overlap stated as {digits}% and {overlap}"));
            }
        }
    }
    let range = format!("{tmin}–{tmax} months");
    for marker in ["plan on ", "Plan on ", "allow ", "realistic range is "] {
        for (i, _) in p.text.match_indices(marker) {
            let after = &p.text[i + marker.len()..];
            if after.starts_with(|c: char| c.is_ascii_digit()) && !after.starts_with(&range) {
                let stated: String = after.chars().take(16).collect();
                out.push(format!("timeline stated as {stated:?} and {range:?}"));
            }
        }
    }
    let studied: u32 = p.build.iter().filter_map(|(_, _, w)| *w).sum();
    for (i, _) in p.text.match_indices("roughly ") {
        let after = &p.text[i + "roughly ".len()..];
        let mut words = after.split(' ');
        if let (Some(Ok(w)), Some(unit)) = (words.next().map(str::parse::<u32>), words.next())
            && unit.starts_with("week")
            && w != studied
        {
            out.push(format!(
                "study stated as {w} weeks; the skills listed add up to {studied}"
            ));
        }
    }
    let lower_text = p.text.to_lowercase();
    for (skill, _, weeks) in &p.build {
        let Some(weeks) = weeks else { continue };
        let needle = format!("start with {}", skill.to_lowercase());
        for (i, _) in lower_text.match_indices(&needle) {
            let said = lower_text[i..]
                .split("takes about ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .and_then(|w| w.parse::<u32>().ok());
            if said.is_some_and(|s| s != *weeks) {
                out.push(format!(
                    "{skill}: {weeks} weeks in the list, {said:?} in the FAQ"
                ));
            }
        }
    }
    match p.pay_change.split_whitespace().next().unwrap_or_default() {
        "About" => {
            if p.text.contains("%) more") || p.text.contains("%) less") {
                out.push("pay called about the same but a percentage change is given".into());
            }
        }
        headline => {
            let pct = headline.trim_start_matches(['+', '−']);
            let stated = format!("({pct})");
            let count = p.text.matches(&stated).count();
            if count < 2 {
                out.push(format!(
                    "pay change {headline} not repeated as {stated} in the text"
                ));
            }
            let cut = headline.starts_with('−');
            if cut && p.text.contains("%) more") || !cut && p.text.contains("%) less") {
                out.push("pay change direction differs between headline and text".into());
            }
            for (i, _) in p.text.match_indices("%) ") {
                let digits: String = p.text[..i]
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .chars()
                    .rev()
                    .collect();
                if format!("{digits}%") != pct {
                    out.push(format!("pay change stated as {digits}% and {pct}"));
                }
            }
        }
    }
    if !p.html.contains("Where these figures come from") {
        out.push("no pay basis".into());
    }
    out
}

/// Reads every ordered pair through the real server.
#[tokio::test]
async fn every_guide_states_its_figures_once_and_consistently() {
    let app = spawn_app().await;
    let catalogue = app.state.content.catalogue();
    let paths: Vec<String> = catalogue
        .roles
        .iter()
        .flat_map(|f| {
            catalogue
                .roles
                .iter()
                .filter(move |t| t.slug != f.slug)
                .map(move |t| format!("/careers/{}-to-{}", f.slug, t.slug))
        })
        .collect();
    let total = paths.len();
    let app = &app;
    let pages: Vec<Page> = futures_util::stream::iter(paths)
        .map(|path| async move {
            let (status, html) = app.get_text(&path).await;
            assert_eq!(status, 200, "{path}");
            parse(&path, &html)
        })
        .buffer_unordered(8)
        .collect()
        .await;
    assert_eq!(pages.len(), total);
    let mut failures: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            problems_in(p)
                .into_iter()
                .map(|e| format!("{}: {e}", p.path))
        })
        .collect();

    // A harder word never goes to a move with at least as much overlap and a timeline no
    // longer at either end.
    let rank = |p: &Page| {
        DIFFICULTY_ORDER
            .iter()
            .position(|d| *d == p.difficulty)
            .unwrap()
    };
    for a in &pages {
        for b in &pages {
            let dominates = a.overlap >= b.overlap
                && a.timeline.0 <= b.timeline.0
                && a.timeline.1 <= b.timeline.1;
            if dominates && rank(a) > rank(b) {
                failures.push(format!(
                    "{} ({}%, {:?}) is called {:?} but {} ({}%, {:?}) only {:?}",
                    a.path,
                    a.overlap,
                    a.timeline,
                    a.difficulty,
                    b.path,
                    b.overlap,
                    b.timeline,
                    b.difficulty
                ));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(25)]
    );
}

/// Regulated routes: years without pay are part of the pay story, paid training is not
/// study, and rules say which nation they apply in.
#[tokio::test]
async fn routes_into_qualified_roles_tell_the_pay_and_nation_story() {
    let app = spawn_app().await;
    let text = |path: &'static str| {
        let app = &app;
        async move {
            let (status, html) = app.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            visible_text(&html)
        }
    };

    let pharmacy = text("/careers/registered-nurse-to-pharmacist").await;
    assert!(pharmacy.contains("48 months (4 years) of full-time study without a salary"));
    assert!(pharmacy.contains("The cost to you in England is £9,790 a year"));
    assert!(pharmacy.contains("Pharmaceutical Society of Northern Ireland"));
    assert!(!pharmacy.contains("6–12 month plan"));

    let police = text("/careers/customer-service-advisor-to-police-officer").await;
    assert!(
        police.contains("Yes, from the first day"),
        "paid from day one"
    );
    assert!(!police.contains("cannot make you"));
    assert!(police.contains("in England and Wales"));
    assert!(police.contains("Police Scotland"));
    let (_, police_html) = app
        .get_text("/careers/customer-service-advisor-to-police-officer")
        .await;
    let timeline = fact(&police_html, "Time").unwrap();
    assert!(
        numbers(timeline)[1] <= 12,
        "police start within a year: {timeline}"
    );
    assert!(
        !police_html.contains("Show it with:"),
        "no portfolio for a police application"
    );

    let teaching = text("/careers/accountant-to-secondary-school-teacher").await;
    assert!(teaching.contains("It needs a degree before you start"));
    assert!(teaching.contains("bursary"));
    assert!(teaching.contains("General Teaching Council for Scotland"));

    let nursing = text("/careers/data-analyst-to-registered-nurse").await;
    assert!(nursing.contains("NHS Learning Support Fund"));
    assert!(
        !nursing.contains("HCPC"),
        "the HCPC does not register nurses"
    );
    assert!(!nursing.contains("Show it with: Registration"));

    let role = text("/roles/registered-nurse").await;
    assert!(role.contains("Where these figures come from: NHS Agenda for Change"));
    assert!(role.contains("Routes in England"));
}

/// The moves the issue named, each checked for the corrected figure.
#[tokio::test]
async fn the_moves_named_in_the_review_now_read_true() {
    let app = spawn_app().await;
    let facts = |path: &'static str| {
        let app = &app;
        async move {
            let (status, html) = app.get_text(path).await;
            assert_eq!(status, 200, "{path}");
            parse(path, &html)
        }
    };
    let p = facts("/careers/platform-engineer-to-devops-engineer").await;
    assert!(!p.pay_change.starts_with('−'), "{}", p.pay_change);
    assert!(p.text.contains("most people enter at mid level"));

    let p = facts("/careers/full-stack-developer-to-backend-developer").await;
    assert!(!p.pay_change.starts_with('−'), "{}", p.pay_change);

    for (path, at_most) in [
        ("/careers/backend-developer-to-teaching-assistant", 12),
        ("/careers/solutions-architect-to-it-support-technician", 12),
        (
            "/careers/secondary-school-teacher-to-customer-service-advisor",
            6,
        ),
    ] {
        let p = facts(path).await;
        assert!(p.timeline.1 <= at_most, "{path}: {:?}", p.timeline);
    }

    let p = facts("/careers/cloud-engineer-to-devops-engineer").await;
    assert!(
        !p.build.iter().any(|(s, _, _)| s == "CI/CD pipelines"),
        "cloud engineers keep pipelines in Git"
    );
    let p = facts("/careers/platform-engineer-to-site-reliability-engineer").await;
    assert!(!p.build.iter().any(|(s, _, _)| s == "Python"));
}
