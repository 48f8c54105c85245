//! The civil servants' task score from assigned work products (Decree 335/2025, brief §4.3):
//! quantity, quality and timeliness as shares of the products' converted units; each failed
//! quality review deducts 25% of a product's quality points and each delay 25% of its timeliness
//! points, unless an objective cause was confirmed by the competent authority (whose name is
//! kept). The weights of the three shares are data (not read: [U]).

use super::Points;
use super::data::TaskScoring;
use crate::error::DomainError;

/// One assigned work product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Its weight in converted units (hundredths, as points).
    pub units: u32,
    pub done: bool,
    pub failed_reviews: u32,
    pub delays: u32,
    /// Who confirmed an objective cause that exempts the product from deductions.
    pub exempted_by: Option<String>,
}

/// The three shares, in hundredths of a percent (100% = 10 000), and the task score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskScore {
    pub quantity: u32,
    pub quality: u32,
    pub timeliness: u32,
    pub points: Points,
}

fn kept(scoring: &TaskScoring, count: u32, exempt: bool) -> u64 {
    if exempt {
        return 100;
    }
    100u64.saturating_sub(u64::from(count) * u64::from(scoring.deduction_pct))
}

/// The task score out of `tasks_max` points; products in converted units.
pub fn task_score(
    scoring: &TaskScoring,
    products: &[Product],
    tasks_max: u32,
) -> Result<TaskScore, DomainError> {
    let total: u64 = products.iter().map(|p| u64::from(p.units)).sum();
    if total == 0 {
        return Err(DomainError::invalid(
            "products",
            "empty",
            "at least one product with a weight",
        ));
    }
    let mut quantity = 0u64;
    let mut quality = 0u64;
    let mut timeliness = 0u64;
    for p in products.iter().filter(|p| p.done) {
        let units = u64::from(p.units);
        let exempt = p.exempted_by.is_some();
        quantity += units * 100;
        quality += units * kept(scoring, p.failed_reviews, exempt);
        timeliness += units * kept(scoring, p.delays, exempt);
    }
    // Shares in hundredths of a percent.
    let share = |x: u64| x * 100 / total;
    let (q, l, t) = (share(quantity), share(quality), share(timeliness));
    let weights = u64::from(scoring.quantity_weight)
        + u64::from(scoring.quality_weight)
        + u64::from(scoring.timeliness_weight);
    if weights == 0 {
        return Err(DomainError::invalid(
            "weights",
            "zero",
            "the weights add up to zero",
        ));
    }
    let weighted = q * u64::from(scoring.quantity_weight)
        + l * u64::from(scoring.quality_weight)
        + t * u64::from(scoring.timeliness_weight);
    // points (hundredths) = tasks_max × 100 × weighted share / (10 000 × weights)
    let points = u64::from(tasks_max) * 100 * weighted / (10_000 * weights);
    let narrow = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
    Ok(TaskScore {
        quantity: narrow(q),
        quality: narrow(l),
        timeliness: narrow(t),
        points: Points(narrow(points)),
    })
}
