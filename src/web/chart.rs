//! Geometry for the inline salary chart: horizontal range bars on a shared scale.

use crate::domain::guide::SalaryRow;
use crate::domain::money::pounds;

pub const WIDTH: i64 = 640;
const LABEL_WIDTH: i64 = 200;
const ROW_HEIGHT: i64 = 34;
const TOP: i64 = 8;
const BAR_HEIGHT: i64 = 18;

pub struct Bar {
    pub label: String,
    pub range: String,
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub label_y: i64,
    pub text_x: i64,
    pub highlight: bool,
    pub group: usize,
}

pub struct Tick {
    pub x: i64,
    pub label: String,
}

pub struct SalaryChart {
    pub height: i64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub axis_y: i64,
    pub plot_left: i64,
    pub plot_right: i64,
}

pub fn salary_chart(rows: &[SalaryRow]) -> SalaryChart {
    let top = rows.iter().map(|r| r.max).max().unwrap_or(1).max(1);
    // Round the scale up to the next £20,000 so ticks fall on round numbers.
    let scale_max = (top + 19_999) / 20_000 * 20_000;
    let plot = WIDTH - LABEL_WIDTH - 90;
    let x_of = |v: i64| LABEL_WIDTH + v * plot / scale_max;
    let first_role = rows.first().map(|r| r.role.clone());
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let i = i as i64;
            let y = TOP + i * ROW_HEIGHT;
            let x = x_of(r.min);
            let width = (x_of(r.max) - x).max(2);
            Bar {
                label: format!("{} · {}", short(&r.role), r.level),
                range: format!("{}–{}k", pounds(r.min / 1000), r.max / 1000),
                x,
                y,
                width,
                label_y: y + BAR_HEIGHT - 4,
                text_x: x + width + 6,
                highlight: r.highlight,
                group: usize::from(Some(&r.role) != first_role.as_ref()),
            }
        })
        .collect::<Vec<_>>();
    let axis_y = TOP + rows.len() as i64 * ROW_HEIGHT;
    let ticks = (0..=4)
        .map(|k| {
            let v = scale_max * k / 4;
            Tick {
                x: x_of(v),
                label: format!("£{}k", v / 1000),
            }
        })
        .collect();
    SalaryChart {
        height: axis_y + 24,
        bars,
        ticks,
        axis_y,
        plot_left: LABEL_WIDTH,
        plot_right: LABEL_WIDTH + plot,
    }
}

/// Long titles are shortened in the chart label only; the table beside it has them whole.
fn short(title: &str) -> String {
    if title.chars().count() <= 22 {
        title.to_owned()
    } else {
        let cut: String = title.chars().take(21).collect();
        format!("{}…", cut.trim_end())
    }
}

pub const BAR_HEIGHT_PX: i64 = BAR_HEIGHT;
