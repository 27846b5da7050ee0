//! `/report`'s chart: seats used and introductions met per day, drawn with
//! plotters into a buffer and encoded as a PNG. The font is bundled
//! (DejaVu Sans, `bot/assets/`, its license beside it), so it draws the
//! same on a machine without fonts.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};

use super::Day;

/// The chart's size in pixels.
pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 400;

const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";
const SEATS: RGBColor = RGBColor(0x2b, 0x6c, 0xb0);
const MET: RGBColor = RGBColor(0xe0, 0x8a, 0x1e);

/// The words on the chart, in the reader's language.
pub struct Labels<'a> {
    pub title: &'a str,
    pub seats: &'a str,
    pub met: &'a str,
    /// A day as its axis shows it (`16/11`).
    pub day: &'a dyn Fn(&Day) -> String,
}

/// Why a chart could not be drawn (the report goes without it).
#[derive(Debug, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

fn failed(e: impl std::fmt::Display) -> ChartError {
    ChartError(e.to_string())
}

/// The chart of `days` as a PNG of [`WIDTH`] × [`HEIGHT`].
pub fn png(days: &[Day], labels: &Labels<'_>) -> Result<Vec<u8>, ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    if !*REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok()) {
        return Err(ChartError("the bundled font cannot be read".into()));
    }
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    draw(&mut rgb, days, labels)?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&rgb).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

fn draw(rgb: &mut [u8], days: &[Day], labels: &Labels<'_>) -> Result<(), ChartError> {
    let root = BitMapBackend::with_buffer(rgb, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(failed)?;
    let n = days.len().max(1);
    let top = days.iter().map(|d| d.seats_used.max(d.met)).max().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(labels.title, (FAMILY, 22))
        .margin(14)
        .x_label_area_size(32)
        .y_label_area_size(40)
        .build_cartesian_2d(-0.5f64..n as f64 - 0.5, 0f64..(top as f64 * 1.15).ceil())
        .map_err(failed)?;
    let day_label = |x: &f64| {
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        days.get(i as usize).map(|d| (labels.day)(d)).unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n.min(10))
        .x_label_formatter(&day_label)
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style((FAMILY, 13))
        .draw()
        .map_err(failed)?;
    let bar = |offset: f64, value: u64, i: usize, color: RGBColor| {
        let x = i as f64 + offset;
        Rectangle::new([(x, 0.0), (x + 0.38, value as f64)], color.filled())
    };
    chart
        .draw_series(days.iter().enumerate().map(|(i, d)| bar(-0.4, d.seats_used, i, SEATS)))
        .map_err(failed)?
        .label(labels.seats)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], SEATS.filled()));
    chart
        .draw_series(days.iter().enumerate().map(|(i, d)| bar(0.02, d.met, i, MET)))
        .map_err(failed)?
        .label(labels.met)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], MET.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font((FAMILY, 13))
        .draw()
        .map_err(failed)?;
    root.present().map_err(failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn decode(png: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let decoder = png::Decoder::new(png);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    fn pixels_of(rgb: &[u8], color: RGBColor) -> usize {
        rgb.chunks(3).filter(|p| p == &[color.0, color.1, color.2]).count()
    }

    #[test]
    fn the_chart_decodes_as_a_png_of_the_stated_size_with_a_bar_per_figure() {
        let days: Vec<Day> = (16..=22)
            .map(|d| Day {
                date: NaiveDate::from_ymd_opt(2026, 11, d).unwrap(),
                seats_used: u64::from(d % 3),
                met: u64::from(d == 17),
            })
            .collect();
        let labels = Labels {
            title: "Seats used and introductions met, per day",
            seats: "seats used",
            met: "introductions met",
            day: &|d: &Day| d.date.format("%d/%m").to_string(),
        };
        let png = png(&days, &labels).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (info, rgb) = decode(&png);
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        // An empty chart shows only the legend's swatches.
        let (_, nothing) = decode(&png_of_nothing());
        let swatch = pixels_of(&nothing, SEATS);
        assert!(swatch > 0 && pixels_of(&nothing, MET) == swatch, "{swatch}");
        assert!(pixels_of(&rgb, SEATS) > swatch + 1_000, "seat bars are drawn");
        assert!(pixels_of(&rgb, MET) > swatch + 300, "the met bar is drawn");
        let text = rgb.chunks(3).filter(|p| p.iter().all(|&c| c < 60)).count();
        assert!(
            text > 500,
            "the bundled font drew the title and labels: {text} dark pixels"
        );
        if let Ok(path) = std::env::var("SEATMATE_CHART_SAMPLE") {
            std::fs::write(path, &png).unwrap();
        }
    }

    fn png_of_nothing() -> Vec<u8> {
        let labels = Labels {
            title: "t",
            seats: "s",
            met: "m",
            day: &|_| String::new(),
        };
        png(&[], &labels).unwrap()
    }
}
