//! What people do on the site, in a browser with JavaScript switched off: a visitor
//! reading a guide, a new user from registration to the practice gate, and an admin
//! changing pay. The steps shared with the accessibility check live here too.

use super::{JavaScript, Tab};
use crate::helpers::{Mailbox, spawn_app, spawn_app_with_smtp};

pub(super) const PASSWORD: &str = "violet harbour lantern";
pub(super) const ADMIN: &str = "admin@example.com";
pub(super) const GUIDE: &str = "/careers/cloud-engineer-to-backend-developer";
const ANSWER: &str = "At my last job the platform team asked whether our nightly batch \
    jobs could move to an API. My task was to find out before the planning meeting. I wrote \
    a small service in Python with a REST endpoint, added tests and a database migration, \
    and measured the latency against the old jobs. As a result, the team moved two reports \
    to the new API, which cut the wait for fresh numbers from a day to a few seconds.";

/// Picks a move in the home page's picker and shows its guide.
pub(super) async fn pick(tab: &Tab, from: &str, to: &str) {
    tab.choose("#from", from).await;
    tab.choose("#to", to).await;
    tab.click(".picker button[type=submit]").await;
    tab.wait_xpath("//article[contains(@class,'guide')]//h1", "a guide")
        .await;
    tab.step("guide");
}

/// Registers `email` through the form, follows the link in the email that arrives and
/// signs in: the browser ends on the account page, confirmed.
pub(super) async fn register_confirm_and_sign_in(tab: &Tab, mailbox: &Mailbox, email: &str) {
    tab.visit("register", "/register").await;
    tab.expect_h1("Create an account").await;
    tab.fill("#email", email).await;
    tab.fill("#password", PASSWORD).await;
    tab.click("form[action='/register'] button[type=submit]")
        .await;
    tab.expect_h1("Check your email").await;
    assert!(tab.main_text().await.contains(email));

    let mails = mailbox.to(email).await;
    assert_eq!(mails.len(), 1, "one email to {email}");
    let link = mails[0]
        .link("/verify-email/")
        .expect("the email holds a verification link");
    assert!(
        link.starts_with(&tab.base),
        "{link} points at this app ({})",
        tab.base
    );
    tab.step("verify-email");
    tab.c.goto(&link).await.unwrap();
    tab.expect_h1("Confirm your email address").await;
    tab.click("main form button[type=submit]").await;
    tab.expect_h1("Email address confirmed").await;

    tab.click("main a.button[href='/sign-in']").await;
    tab.step("sign-in");
    tab.expect_h1("Sign in").await;
    tab.fill("#email", email).await;
    tab.fill("#password", PASSWORD).await;
    tab.click("form[action='/sign-in'] button[type=submit]")
        .await;
    tab.expect_h1("Your account").await;
    tab.step("account");
    assert_eq!(tab.path().await, "/account");
    let everything = tab.text("body").await;
    assert!(
        !everything.contains("Please confirm your email address"),
        "the address is confirmed: {everything}"
    );
}

/// From the guide of Cloud Engineer to Backend Developer, saves the move with a note,
/// builds a 9-month plan at 10 hours a week and returns the number of milestones.
pub(super) async fn save_and_build_plan(tab: &Tab) -> usize {
    tab.visit("guide", GUIDE).await;
    tab.expect_h1("Cloud Engineer to Backend Developer").await;
    tab.fill("#save-note", "Ask Sam about the team").await;
    tab.click("form.track-form button[type=submit]").await;
    tab.expect_in("aside[@id='track']", "Saved").await;
    assert!(
        tab.text("#track")
            .await
            .contains("Your note: Ask Sam about the team")
    );

    tab.click("#track a[href^='/plans/new']").await;
    tab.step("new-plan");
    tab.expect_h1("Build a plan: Cloud Engineer to Backend Developer")
        .await;
    tab.choose("#months", "9").await;
    tab.fill("#hours_per_week", "10").await;
    tab.click("form[action='/plans'] button[type=submit]").await;
    tab.expect_h1("Your plan: Cloud Engineer to Backend Developer")
        .await;
    tab.step("plan");
    let path = tab.path().await;
    assert!(
        path.strip_prefix("/plans/")
            .is_some_and(|id| id.parse::<u32>().is_ok()),
        "{path}"
    );
    tab.count("ol.milestone-list > li").await
}

/// Types `answer` into the practice form on the page and asks for feedback.
pub(super) async fn answer_question(tab: &Tab, answer: &str) {
    tab.fill("#answer-text", answer).await;
    tab.click("form[action^='/practice/'] button[type=submit]")
        .await;
}

#[tokio::test]
async fn a_visitor_reads_a_guide_and_uses_the_picker_without_javascript() {
    let app = spawn_app().await;
    let tab = Tab::open(&app.address, "visitor", JavaScript::Off).await;
    tab.run(async {
        tab.visit("home", "/").await;
        tab.expect_h1("Plan your next career with real numbers")
            .await;
        // The first Tab lands on the skip link, hidden until then, visible while focused.
        assert!(!tab.find(".skip-link").await.is_displayed().await.unwrap());
        tab.find("body").await.send_keys("\u{E004}").await.unwrap();
        let focused = tab.c.active_element().await.unwrap();
        assert_eq!(focused.text().await.unwrap(), "Skip to main content");
        assert!(focused.is_displayed().await.unwrap());

        // An incomplete choice comes back with a message from the server.
        tab.choose("#from", "registered-nurse").await;
        tab.click(".picker button[type=submit]").await;
        tab.step("picker-error");
        tab.expect_in(
            "p[@id='to-error']",
            "Choose the role you want to move into.",
        )
        .await;
        assert_eq!(
            tab.value("#from").await.as_deref(),
            Some("registered-nurse"),
            "the first choice is kept"
        );
        assert_eq!(
            tab.attr("#to", "aria-invalid").await.as_deref(),
            Some("true")
        );

        pick(&tab, "registered-nurse", "data-analyst").await;
        assert_eq!(
            tab.path().await,
            "/careers/registered-nurse-to-data-analyst"
        );
        assert_eq!(tab.text("h1").await, "Registered Nurse to Data Analyst");
        let facts = tab.text(".guide .key-facts").await;
        for label in ["Skill overlap", "Difficulty", "Starting pay change"] {
            assert!(facts.contains(label), "{label} in {facts}");
        }
        let sections = tab.count(".guide section[id] > h2").await;
        assert!(sections >= 8, "{sections} sections");
        let salary = tab.text("#salary table").await;
        assert!(salary.contains("Registered Nurse") && salary.contains("Data Analyst"));
        assert!(salary.contains('£'), "{salary}");

        // The contents link jumps to its section.
        tab.click(".toc a[href='#salary']").await;
        assert_eq!(
            tab.c.current_url().await.unwrap().fragment(),
            Some("salary")
        );

        // The FAQ works as native disclosure widgets.
        let first = tab.find("details.faq").await;
        assert!(first.attr("open").await.unwrap().is_none());
        tab.click("details.faq summary").await;
        assert!(
            first.attr("open").await.unwrap().is_some(),
            "clicking a question opens its answer"
        );
        let answer = first.text().await.unwrap();
        let question = tab.text("details.faq summary").await;
        assert!(answer.len() > question.len(), "the answer shows: {answer}");

        // A visitor is asked to sign in before saving.
        assert!(tab.text("#track").await.contains("Save this move"));

        // The breadcrumb leads to the role the visitor is in now.
        tab.click(".breadcrumbs a[href='/roles/registered-nurse']")
            .await;
        tab.step("role");
        tab.expect_h1("Registered Nurse").await;
        assert!(tab.text("#pay-heading").await.contains("Salary by level"));
        assert!(tab.count("table.data-table tbody tr").await >= 3);

        // Practice questions are open to visitors, with feedback behind an account.
        tab.visit("practice", "/practice/data-analyst").await;
        tab.expect_h1("Data Analyst interview practice").await;
        tab.find("section[aria-labelledby='questions-heading'] ul.route-list a")
            .await
            .click()
            .await
            .unwrap();
        tab.step("practice-question");
        tab.expect_in("main", "Sign in to get feedback").await;
        assert_eq!(tab.count("textarea").await, 0);
    })
    .await;
    tab.close().await;
}

#[tokio::test]
async fn a_new_user_plans_a_move_and_practises_until_the_free_limit_without_javascript() {
    let (app, mailbox) = spawn_app_with_smtp(&[]).await;
    let tab = Tab::open(&app.address, "new-user", JavaScript::Off).await;
    tab.run(async {
        let email = "newcomer@example.com";
        register_confirm_and_sign_in(&tab, &mailbox, email).await;

        // Saving, then a plan, from the guide the picker leads to.
        tab.visit("home", "/").await;
        pick(&tab, "cloud-engineer", "backend-developer").await;
        assert_eq!(tab.path().await, GUIDE);
        let milestones = save_and_build_plan(&tab).await;
        assert!(milestones >= 4, "{milestones} milestones");

        let progress = tab.text(".plan-progress").await;
        assert!(
            progress.starts_with(&format!("0 of {milestones} milestones done")),
            "{progress}"
        );
        // An SVG title is not rendered text: read what assistive technology reads.
        let timeline = tab
            .find("svg.timeline > title")
            .await
            .prop("textContent")
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(timeline.starts_with("Timeline of "), "{timeline}");
        let bars = tab.count("svg.timeline rect.bar").await;
        assert!(bars >= 1 && bars <= milestones, "{bars} bars");
        assert!(
            timeline.contains(&format!("{bars} dated milestone")),
            "{timeline}"
        );

        // Completing the first milestone through its native disclosure form.
        let id = tab
            .find("ol.milestone-list > li")
            .await
            .attr("id")
            .await
            .unwrap()
            .expect("a milestone has an id");
        let title = tab.text(&format!("#{id} h3")).await;
        tab.click(&format!("#{id} summary")).await;
        tab.choose(&format!("#{id} select[name=status]"), "done")
            .await;
        tab.click(&format!("#{id} form button[type=submit]")).await;
        tab.expect_in(
            "p[@class='plan-progress']",
            &format!("1 of {milestones} milestones done"),
        )
        .await;
        // The page rounds to the nearest whole per cent.
        let percent = (100.0 / milestones as f64).round() as usize;
        let facts = tab.text(".key-facts").await;
        assert!(facts.contains(&format!("{percent}%")), "{facts}");
        assert_eq!(tab.attr("progress", "value").await.as_deref(), Some("1"));
        assert_eq!(tab.text(&format!("#{id}.milestone-done h3")).await, title);
        assert_eq!(tab.text(&format!("#{id} .tag-status")).await, "Done");
        assert!(
            tab.count("svg.timeline rect.bar-done").await >= 1,
            "the timeline shows it done"
        );

        // The dashboard shows the saved move and the plan's progress.
        tab.click_link("Dashboard").await;
        tab.step("dashboard");
        tab.expect_h1("Your dashboard").await;
        let saved = tab.text("article.saved-move").await;
        assert!(
            saved.contains("Cloud Engineer to Backend Developer"),
            "{saved}"
        );
        assert!(
            saved.contains(&format!("Open your plan: {percent}% done")),
            "{saved}"
        );

        // Practice until the free limit, and the gate.
        tab.click_link("Practice").await;
        tab.step("practice");
        tab.expect_h1("Interview practice").await;
        tab.click("section[aria-labelledby='yours'] a[href='/practice/backend-developer']")
            .await;
        tab.expect_h1("Backend Developer interview practice").await;
        tab.expect_in("p[@id='allowance']", "3 of 3 free answers left today.")
            .await;
        tab.find("section[aria-labelledby='questions-heading'] ul.route-list a")
            .await
            .click()
            .await
            .unwrap();
        tab.step("practice-question");
        tab.wait_xpath("//textarea[@id='answer-text']", "the answer box")
            .await;
        for left in [2, 1, 0] {
            answer_question(&tab, ANSWER).await;
            tab.expect_in(
                "p[@id='allowance']",
                &format!(
                    "{left} of 3 free {} left today.",
                    if left == 1 { "answer" } else { "answers" }
                ),
            )
            .await;
            let feedback = tab.text("#feedback").await;
            assert!(feedback.contains("Feedback on your answer"), "{feedback}");
            assert!(feedback.contains("You covered"), "{feedback}");
        }
        tab.step("practice-gate");
        let typed = "My fourth answer, which must not be lost.";
        answer_question(&tab, typed).await;
        tab.expect_in("div[@id='refusal']", "You have used today's free answers")
            .await;
        assert_eq!(
            tab.count("#feedback").await,
            0,
            "no feedback past the limit"
        );
        assert_eq!(
            tab.value("#answer-text").await.as_deref(),
            Some(typed),
            "the answer is kept in the box"
        );
        assert!(
            tab.text("#refusal")
                .await
                .contains("Start my free 7-day trial and keep this answer")
        );
    })
    .await;
    tab.close().await;
}

#[tokio::test]
async fn an_admin_edits_a_salary_and_the_guide_shows_it_without_javascript() {
    let (app, mailbox) = spawn_app_with_smtp(&[("CAREERSWITCH_ADMIN_EMAILS", ADMIN)]).await;
    let tab = Tab::open(&app.address, "admin", JavaScript::Off).await;
    tab.run(async {
        let affected = "/careers/financial-analyst-to-data-analyst";
        tab.visit("guide-before", affected).await;
        tab.expect_h1("Financial Analyst to Data Analyst").await;
        let before = tab.text("#salary table").await;
        assert!(!before.contains("£46,000"), "{before}");

        // A listed address becomes an admin once it is confirmed.
        register_confirm_and_sign_in(&tab, &mailbox, ADMIN).await;
        tab.click_link("Admin").await;
        tab.step("admin");
        tab.expect_h1("Admin").await;
        tab.click("main a[href='/admin/roles']").await;
        tab.step("admin-roles");
        tab.wait_xpath(
            "//main//a[@href='/admin/roles/data-analyst']",
            "the Data Analyst role",
        )
        .await
        .click()
        .await
        .unwrap();
        tab.step("admin-role");
        tab.expect_h1("Edit Data Analyst").await;

        // A preview shows the new band without publishing it.
        tab.fill("#mid_min", "46000").await;
        tab.fill("#mid_max", "53000").await;
        tab.click("button[name=action][value=preview]").await;
        tab.expect_in(
            "section[@class='admin-preview']",
            "Preview: not published yet",
        )
        .await;
        assert!(tab.text(".admin-preview").await.contains("£46,000"));
        assert_eq!(
            tab.value("#mid_min").await.as_deref(),
            Some("46000"),
            "the form keeps what was typed"
        );
        tab.click("button[name=action][value=publish]").await;
        tab.expect_in(
            "p[@role='status']",
            "Published. The change is live on every page it affects.",
        )
        .await;
        assert_eq!(tab.path().await, "/admin/roles/data-analyst?published=1");

        // The guide into the role shows the new pay at once.
        tab.visit("guide-after", affected).await;
        tab.expect_h1("Financial Analyst to Data Analyst").await;
        let after = tab.text("#salary table").await;
        assert!(after.contains("£46,000"), "{after}");
        assert!(after.contains("£53,000"), "{after}");
        assert_ne!(before, after);
        tab.visit("role-after", "/roles/data-analyst").await;
        tab.expect_h1("Data Analyst").await;
        assert!(tab.text("table.data-table").await.contains("£46,000"));
    })
    .await;
    tab.close().await;
}
