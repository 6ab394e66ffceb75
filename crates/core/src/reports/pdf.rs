//! The board's printable report: the center, the period and the date made, each section's figures
//! beside the previous period's, the breakdowns, and charts of the visits' trend and services.
//! Pages are laid out first as lists of marks, then drawn by krilla; the charts are drawn by
//! plotters as SVG and placed by krilla-svg. The fonts travel inside the binary, so a desk
//! without fonts of its own prints the same report.

use std::sync::{Arc, LazyLock};

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};
use serde_json::{Map, Value};

use super::files::{in_order, label_and_figures, title, Paper};
use crate::clock::{named_day, DayStyle};
use crate::reports::ReportsError;
use crate::{Error, Result};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const MARGIN: f32 = 48.0;
const INK: (u8, u8, u8) = (0x1f, 0x29, 0x33);
const MUTED: (u8, u8, u8) = (0x52, 0x5f, 0x6b);
const ACCENT: (u8, u8, u8) = (0x1d, 0x4e, 0x89);
/// Okabe and Ito's palette: told apart by readers with any common colour blindness.
const SKY_BLUE: plotters::style::RGBColor = plotters::style::RGBColor(0x00, 0x72, 0xB2);
const AMBER: plotters::style::RGBColor = plotters::style::RGBColor(0xE6, 0x9F, 0x00);

/// Sections in the order a board reads them, with the lists each shows as a table.
const SECTIONS: [(&str, &[&str]); 6] = [
    ("visits", &["by_service", "by_weekday"]),
    ("groups", &["by_group"]),
    ("warmline", &["by_type", "by_outcome", "by_topic", "by_referral"]),
    ("volunteers", &["by_role"]),
    ("anonymous_contacts", &[]),
    ("who", &["age_bands", "languages"]),
];

enum Mark {
    Text { x: f32, y: f32, size: f32, bold: bool, color: (u8, u8, u8), text: String },
    Rule { x: f32, y: f32, width: f32 },
    Chart { x: f32, y: f32, width: f32, height: f32, svg: String },
}

struct Layout {
    width: f32,
    height: f32,
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl Layout {
    fn room(&mut self, needed: f32) {
        if self.y + needed > self.height - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn mark(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page").push(mark);
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, color: (u8, u8, u8), text: impl Into<String>) {
        let y = self.y + size;
        self.mark(Mark::Text { x, y, size, bold, color, text: text.into() });
    }

    /// Text ending at `right`.
    fn text_right(&mut self, right: f32, size: f32, bold: bool, text: impl Into<String>) {
        let text = text.into();
        let x = right - width_of(&text, size, bold);
        self.text(x, size, bold, INK, text);
    }

    fn line(&mut self, step: f32) {
        self.y += step;
    }
}

/// Renders the report (`current`, with `previous` beside it) as PDF bytes.
pub(super) fn render(current: &Value, previous: &Value, paper: Paper) -> Result<Vec<u8>> {
    let (width, height) = match paper {
        Paper::A4 => (595.0, 842.0),
        Paper::Letter => (612.0, 792.0),
    };
    let mut layout = Layout { width, height, pages: vec![Vec::new()], y: MARGIN };
    head(&mut layout, current, previous);
    people_served(&mut layout, current, previous);
    charts(&mut layout, current)?;
    for (section, lists) in SECTIONS {
        let (Some(now), Some(before)) = (current[section].as_object(), previous[section].as_object()) else { continue };
        section_table(&mut layout, section, now, before);
        for list in lists {
            list_table(&mut layout, list, now.get(*list), before.get(*list));
        }
    }
    draw(layout)
}

fn period_words(value: &Value) -> String {
    let day = |key: &str| {
        value["period"][key]
            .as_str()
            .and_then(|text| text.parse::<chrono::NaiveDate>().ok())
            .map(|day| named_day(day, DayStyle::LongWithYear))
            .unwrap_or_default()
    };
    format!("{} to {}", day("from"), day("to"))
}

fn head(layout: &mut Layout, current: &Value, previous: &Value) {
    layout.text(MARGIN, 20.0, true, ACCENT, current["center"].as_str().unwrap_or_default());
    layout.line(30.0);
    layout.text(MARGIN, 13.0, false, INK, format!("Report for {}", period_words(current)));
    layout.line(20.0);
    let made = current["made_at"]
        .as_str()
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
        .map(|at| named_day(at.date_naive(), DayStyle::LongWithYear))
        .unwrap_or_default();
    layout.text(MARGIN, 10.0, false, MUTED, format!("Made {made}. Compared with {}.", period_words(previous)));
    layout.line(16.0);
    if current["suppressed"].as_bool() == Some(true) {
        let note = "Counts about people smaller than the center's threshold are shown as \"fewer than\" it.";
        layout.text(MARGIN, 10.0, false, MUTED, note);
        layout.line(16.0);
    }
    layout.line(8.0);
}

fn figure_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "none".into(),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(count) => thousands(count),
            None => format!("{}", number.as_f64().unwrap_or_default()),
        },
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn thousands(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::new();
    for (n, digit) in digits.chars().enumerate() {
        if n > 0 && (digits.len() - n).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The column edges of a figures table: measure, this period, previous period.
fn columns(layout: &Layout) -> (f32, f32) {
    (layout.width - MARGIN - 110.0, layout.width - MARGIN)
}

fn table_head(layout: &mut Layout, heading: &str, size: f32) {
    layout.room(24.0 + 17.0 * 3.0);
    layout.text(MARGIN, size, true, ACCENT, heading);
    let (now, before) = columns(layout);
    layout.text_right(now, 9.0, true, "This period");
    layout.text_right(before, 9.0, true, "Previous");
    layout.line(size + 6.0);
    let width = layout.width - 2.0 * MARGIN;
    layout.mark(Mark::Rule { x: MARGIN, y: layout.y, width });
    layout.line(4.0);
}

fn table_row(layout: &mut Layout, label: &str, now: String, before: String) {
    layout.room(17.0);
    let (now_at, before_at) = columns(layout);
    layout.text(MARGIN, 10.0, false, INK, label);
    layout.text_right(now_at, 10.0, false, now);
    layout.text_right(before_at, 10.0, false, before);
    layout.line(17.0);
}

fn people_served(layout: &mut Layout, current: &Value, previous: &Value) {
    table_head(layout, "People served across the center", 14.0);
    let key = "people_served_unduplicated";
    table_row(layout, &title(key), figure_text(current.get(key)), figure_text(previous.get(key)));
    layout.line(10.0);
}

fn section_table(layout: &mut Layout, section: &str, now: &Map<String, Value>, before: &Map<String, Value>) {
    layout.line(6.0);
    table_head(layout, &title(section), 14.0);
    for (measure, value) in in_order(now).into_iter().filter(|(_, v)| !v.is_array()) {
        table_row(layout, &title(measure), figure_text(Some(value)), figure_text(before.get(measure)));
    }
}

fn list_table(layout: &mut Layout, list: &str, now: Option<&Value>, before: Option<&Value>) {
    let items: Vec<&Map<String, Value>> =
        now.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect();
    if items.is_empty() {
        return;
    }
    let before: Vec<&Map<String, Value>> =
        before.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect();
    layout.line(4.0);
    // A list with several figures (a service's visits and people) gets a table for each.
    let (_, figures) = label_and_figures(items[0]);
    for (figure, _) in figures {
        let heading = if figure_count(items[0]) > 1 {
            format!("{}: {}", title(list), figure.replace('_', " "))
        } else {
            title(list)
        };
        table_head(layout, &heading, 11.0);
        for item in &items {
            let (label, _) = label_and_figures(item);
            let earlier = before.iter().find(|b| label_and_figures(b).0 == label).and_then(|b| b.get(figure));
            table_row(layout, &label, figure_text(item.get(figure)), figure_text(earlier.or(Some(&Value::from(0)))));
        }
    }
}

fn figure_count(item: &Map<String, Value>) -> usize {
    label_and_figures(item).1.len()
}

/// A count read for a chart: a hidden small count is drawn as nothing, its table says "fewer than".
fn plotted(value: &Value) -> u32 {
    value.as_u64().map(|n| n as u32).unwrap_or(0)
}

fn charts(layout: &mut Layout, current: &Value) -> Result<()> {
    let failed = |reason: String| Error::Reports(ReportsError::ReportFileFailed { format: "pdf", reason });
    let width = layout.width - 2.0 * MARGIN;
    let trend: Vec<(String, u32, u32)> = current["visits"]["trend"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| {
            (
                row["starting"].as_str().unwrap_or_default().to_owned(),
                plotted(&row["visits"]),
                plotted(&row["unduplicated_people"]),
            )
        })
        .collect();
    if trend.iter().any(|(_, visits, _)| *visits > 0) {
        let height = 210.0;
        layout.room(height + 30.0);
        let day = |at: usize| trend.get(at).and_then(|(first, _, _)| first.parse::<chrono::NaiveDate>().ok());
        // The second step's first day is a whole step after the first's only when the period began on one.
        let step = match day(2).zip(day(1)).map(|(third, second)| (third - second).num_days()) {
            Some(1) => " by day",
            Some(7) => " by week",
            Some(_) => " by month",
            None => "",
        };
        layout.text(MARGIN, 14.0, true, ACCENT, format!("Visits and people{step}"));
        layout.line(22.0);
        let svg = trend_chart(&trend, width as u32, height as u32).map_err(failed)?;
        layout.mark(Mark::Chart { x: MARGIN, y: layout.y, width, height, svg });
        layout.line(height + 14.0);
    }
    let services: Vec<(String, u32)> = current["visits"]["by_service"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| (row["service"].as_str().unwrap_or_default().to_owned(), plotted(&row["visits"])))
        .filter(|(_, visits)| *visits > 0)
        .collect();
    if !services.is_empty() {
        let height = 40.0 + 20.0 * services.len() as f32;
        layout.room(height + 30.0);
        layout.text(MARGIN, 14.0, true, ACCENT, "Visits by service");
        layout.line(22.0);
        let svg = service_chart(&services, width as u32, height as u32).map_err(failed)?;
        layout.mark(Mark::Chart { x: MARGIN, y: layout.y, width, height, svg });
        layout.line(height + 14.0);
    }
    Ok(())
}

fn trend_chart(trend: &[(String, u32, u32)], width: u32, height: u32) -> Result<String, String> {
    use plotters::prelude::*;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = trend.iter().map(|(_, visits, _)| *visits).max().unwrap_or(1).max(1);
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(0..trend.len().saturating_sub(1).max(1), 0..top + top / 10 + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .max_light_lines(1)
            .light_line_style(RGBColor(0xee, 0xf0, 0xf2))
            .bold_line_style(RGBColor(0xe4, 0xe7, 0xeb))
            .x_labels(trend.len().min(8))
            .x_label_formatter(&|at| trend.get(*at).map(|(first, _, _)| short_day(first)).unwrap_or_default())
            .label_style(("sans-serif", 11))
            .draw()
            .map_err(|e| e.to_string())?;
        let visits = trend.iter().enumerate().map(|(at, (_, visits, _))| (at, *visits));
        chart
            .draw_series(LineSeries::new(visits.clone(), SKY_BLUE.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label("Visits")
            .legend(|(x, y)| Circle::new((x + 10, y), 4, SKY_BLUE.filled()));
        chart.draw_series(visits.map(|point| Circle::new(point, 3, SKY_BLUE.filled()))).map_err(|e| e.to_string())?;
        let people = trend.iter().enumerate().map(|(at, (_, _, people))| (at, *people));
        chart
            .draw_series(LineSeries::new(people.clone(), AMBER.stroke_width(2)))
            .map_err(|e| e.to_string())?
            .label("Unduplicated people")
            .legend(|(x, y)| TriangleMarker::new((x + 10, y), 5, AMBER.filled()));
        chart
            .draw_series(people.map(|point| TriangleMarker::new(point, 4, AMBER.filled())))
            .map_err(|e| e.to_string())?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(0xc8, 0xce, 0xd4))
            .label_font(("sans-serif", 11))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn short_day(first: &str) -> String {
    first.parse::<chrono::NaiveDate>().map(|day| named_day(day, DayStyle::DayMonth)).unwrap_or_default()
}

fn service_chart(services: &[(String, u32)], width: u32, height: u32) -> Result<String, String> {
    use plotters::prelude::*;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let top = services.iter().map(|(_, visits)| *visits).max().unwrap_or(1).max(1);
        let rows = services.len() as i32;
        // The first service at the top: rows count up from the bottom.
        let name_of = |row: i32| services.get((rows - 1 - row) as usize).map(|(name, _)| name.clone());
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(190)
            .build_cartesian_2d(0..top + top / 8 + 1, (0..rows).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .max_light_lines(1)
            .light_line_style(RGBColor(0xee, 0xf0, 0xf2))
            .bold_line_style(RGBColor(0xe4, 0xe7, 0xeb))
            .y_labels(services.len())
            .y_label_formatter(&|at| match at {
                SegmentValue::CenterOf(row) => name_of(*row).unwrap_or_default(),
                _ => String::new(),
            })
            .label_style(("sans-serif", 11))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(services.iter().enumerate().map(|(n, (_, visits))| {
                let row = rows - 1 - n as i32;
                let mut bar = Rectangle::new(
                    [(0, SegmentValue::Exact(row)), (*visits, SegmentValue::Exact(row + 1))],
                    SKY_BLUE.filled(),
                );
                bar.set_margin(3, 3, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

static FONTS: LazyLock<(Font, Font)> = LazyLock::new(|| {
    let font = |bytes: &'static [u8]| Font::new(bytes.into(), 0).expect("the bundled font loads");
    (font(REGULAR), font(BOLD))
});

/// The same two fonts read for their advance widths, once.
static FACES: LazyLock<(ttf_parser::Face<'static>, ttf_parser::Face<'static>)> = LazyLock::new(|| {
    let face = |bytes: &'static [u8]| ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
    (face(REGULAR), face(BOLD))
});

fn width_of(text: &str, size: f32, bold: bool) -> f32 {
    let face = if bold { &FACES.1 } else { &FACES.0 };
    let units: u32 = text
        .chars()
        .filter_map(|c| face.glyph_index(c))
        .filter_map(|glyph| face.glyph_hor_advance(glyph))
        .map(u32::from)
        .sum();
    units as f32 * size / f32::from(face.units_per_em())
}

fn draw(layout: Layout) -> Result<Vec<u8>> {
    let failed = |reason: String| Error::Reports(ReportsError::ReportFileFailed { format: "pdf", reason });
    let mut svg_options = usvg::Options::default();
    {
        let fonts = Arc::make_mut(&mut svg_options.fontdb);
        fonts.load_font_data(REGULAR.to_vec());
        fonts.load_font_data(BOLD.to_vec());
        fonts.set_sans_serif_family("DejaVu Sans");
    }
    let (regular, bold) = (FONTS.0.clone(), FONTS.1.clone());
    let mut document = Document::new();
    let pages = layout.pages.len();
    for (number, marks) in layout.pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(layout.width, layout.height).ok_or_else(|| failed("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let footer = format!("Page {} of {pages}", number + 1);
        let footer_mark = Mark::Text {
            x: layout.width - MARGIN - width_of(&footer, 9.0, false),
            y: layout.height - MARGIN / 2.0,
            size: 9.0,
            bold: false,
            color: MUTED,
            text: footer,
        };
        for mark in marks.into_iter().chain([footer_mark]) {
            match mark {
                Mark::Text { x, y, size, bold: is_bold, color, text } => {
                    surface.set_fill(Some(Fill {
                        paint: rgb::Color::new(color.0, color.1, color.2).into(),
                        ..Default::default()
                    }));
                    let font = if is_bold { bold.clone() } else { regular.clone() };
                    surface.draw_text(Point::from_xy(x, y), font, size, &text, false, TextDirection::Auto);
                }
                Mark::Rule { x, y, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(x, y);
                    path.line_to(x + width, y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(0xc8, 0xce, 0xd4).into(),
                            width: 0.75,
                            ..Default::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Mark::Chart { x, y, width, height, svg } => {
                    let tree = usvg::Tree::from_str(&svg, &svg_options).map_err(|err| failed(err.to_string()))?;
                    let size = Size::from_wh(width, height).ok_or_else(|| failed("chart size".into()))?;
                    surface.push_transform(&Transform::from_translate(x, y));
                    surface.draw_svg(&tree, size, SvgSettings::default()).ok_or_else(|| failed("a chart".into()))?;
                    surface.pop();
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|err| failed(format!("{err:?}")))
}
