//! Chart geometry for the Lägesbild, as plain numbers: a value axis with round ticks, and the
//! rectangles of a bar chart whose bars are stacked or split by series. The components only
//! turn these into SVG elements (`components/staff/lagesbild_charts.rs`).

/// The drawing's size and the room kept for the axis labels, in SVG user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    /// Left margin (tick labels).
    pub left: f64,
    /// Bottom margin (bucket labels).
    pub bottom: f64,
    pub top: f64,
    pub right: f64,
}

impl Frame {
    pub const DEFAULT: Frame = Frame {
        width: 480.0,
        height: 220.0,
        left: 36.0,
        bottom: 28.0,
        top: 10.0,
        right: 8.0,
    };

    pub fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }

    pub fn plot_height(&self) -> f64 {
        self.height - self.top - self.bottom
    }

    /// The y of a value on an axis that ends at `top_value` (the baseline for 0).
    pub fn y(&self, value: f64, top_value: u32) -> f64 {
        let top_value = top_value.max(1) as f64;
        self.top + self.plot_height() * (1.0 - value / top_value)
    }
}

/// A value axis from 0 to `top` in steps of `step` (1, 2 or 5 times a power of ten), with at
/// most about five ticks, `top` ≥ the largest value. An empty chart gets 0–1.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    pub top: u32,
    pub step: u32,
}

impl Scale {
    pub fn for_max(max: u32) -> Scale {
        if max == 0 {
            return Scale { top: 1, step: 1 };
        }
        let raw = (max as f64 / 4.0).max(1.0);
        let mut power = 1u32;
        while (power as f64) * 10.0 <= raw {
            power *= 10;
        }
        let step = [1, 2, 5, 10]
            .into_iter()
            .map(|m| m * power)
            .find(|s| *s as f64 >= raw)
            .unwrap_or(10 * power);
        let top = max.div_ceil(step) * step;
        Scale { top, step }
    }

    /// The tick values, 0 first.
    pub fn ticks(&self) -> Vec<u32> {
        (0..=self.top / self.step).map(|i| i * self.step).collect()
    }
}

/// How the series of one bucket are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One bar per bucket, the series on top of each other.
    Stacked,
    /// One narrow bar per series side by side in each bucket.
    Split,
}

/// One bar (or a stacked segment of one).
#[derive(Clone, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub bucket: usize,
    pub series: usize,
    pub value: u32,
}

/// A tick on the value axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: u32,
    pub y: f64,
}

/// The label under a bucket, at its centre.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub x: f64,
    pub text: String,
    /// Every bucket has a label, but with many buckets only some are drawn.
    pub shown: bool,
}

/// A whole bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub frame: Frame,
    pub scale: Scale,
    pub ticks: Vec<Tick>,
    /// Only bars with a value above 0.
    pub rects: Vec<Rect>,
    pub labels: Vec<Label>,
    /// Per bucket: its total (stacked) or its largest series (split), and the x and y of
    /// the number drawn over it.
    pub totals: Vec<(u32, f64, f64)>,
}

/// Lays out `series[s][b]` (series `s`, bucket `b`; every series as long as `labels`).
pub fn bar_chart(labels: &[String], series: &[Vec<u32>], layout: Layout, frame: Frame) -> BarChart {
    let n = labels.len();
    let value = |s: usize, b: usize| series[s].get(b).copied().unwrap_or(0);
    let per_bucket: Vec<u32> = (0..n)
        .map(|b| {
            let vals = (0..series.len()).map(|s| value(s, b));
            match layout {
                Layout::Stacked => vals.sum(),
                Layout::Split => vals.max().unwrap_or(0),
            }
        })
        .collect();
    let scale = Scale::for_max(per_bucket.iter().copied().max().unwrap_or(0));
    let ticks = scale
        .ticks()
        .into_iter()
        .map(|v| Tick {
            value: v,
            y: frame.y(v as f64, scale.top),
        })
        .collect();
    let slot = if n == 0 {
        0.0
    } else {
        frame.plot_width() / n as f64
    };
    let gap = (slot * 0.2).min(8.0);
    let bar = (slot - gap).max(0.0);
    let mut rects = Vec::new();
    for b in 0..n {
        let x0 = frame.left + slot * b as f64 + gap / 2.0;
        match layout {
            Layout::Stacked => {
                let mut below = 0u32;
                for s in 0..series.len() {
                    let v = value(s, b);
                    if v == 0 {
                        continue;
                    }
                    let y_top = frame.y((below + v) as f64, scale.top);
                    let y_bottom = frame.y(below as f64, scale.top);
                    rects.push(Rect {
                        x: x0,
                        y: y_top,
                        w: bar,
                        h: y_bottom - y_top,
                        bucket: b,
                        series: s,
                        value: v,
                    });
                    below += v;
                }
            }
            Layout::Split => {
                let k = series.len().max(1) as f64;
                let w = bar / k;
                for s in 0..series.len() {
                    let v = value(s, b);
                    if v == 0 {
                        continue;
                    }
                    let y = frame.y(v as f64, scale.top);
                    rects.push(Rect {
                        x: x0 + w * s as f64,
                        y,
                        w,
                        h: frame.y(0.0, scale.top) - y,
                        bucket: b,
                        series: s,
                        value: v,
                    });
                }
            }
        }
    }
    // With many buckets, label every k-th so labels of about 64 units ("sep 2026") do not
    // overlap.
    let every = if slot <= 0.0 {
        1
    } else {
        ((64.0 / slot).ceil() as usize).max(1)
    };
    let labels = labels
        .iter()
        .enumerate()
        .map(|(b, text)| Label {
            x: frame.left + slot * (b as f64 + 0.5),
            text: text.clone(),
            shown: b % every == 0,
        })
        .collect();
    let totals = per_bucket
        .iter()
        .enumerate()
        .map(|(b, t)| {
            (
                *t,
                frame.left + slot * (b as f64 + 0.5),
                frame.y(*t as f64, scale.top) - 3.0,
            )
        })
        .collect();
    BarChart {
        frame,
        scale,
        ticks,
        rects,
        labels,
        totals,
    }
}

/// Horizontal bars for a distribution (time of day, weekday, area): one row per value, the
/// bar's length in per cent of the largest value (0 when all are 0).
pub fn share_of_max(values: &[u32]) -> Vec<f64> {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            if max == 0 {
                0.0
            } else {
                *v as f64 * 100.0 / max as f64
            }
        })
        .collect()
}
