//! What must hold between keys beyond each key's own range.

use super::Params;

impl Params {
    /// What must hold between keys, beyond each key's own range: checked
    /// when a scenario is read and again after numbers are set on it. Each
    /// problem is a key and what is wrong there.
    pub fn relations(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut problem = |key: String, message: String| out.push((key, message));
        let share_sum: f64 = self.destinations.iter().map(|d| d.flow_share).sum();
        if !self.destinations.is_empty() && (share_sum - 1.0).abs() > 1e-3 {
            problem(
                "destinations".into(),
                format!("flow_share values sum to {share_sum:.4}; expected them to sum to 1"),
            );
        }
        // GDP moves with human capital relative to the base year's: with
        // every weight 0 that ratio is 0/0.
        if self.economy.education_weight.iter().all(|w| *w <= 0.0) {
            problem(
                "economy.education_weight".into(),
                "is 0 for every level: expected a positive weight for at least one (GDP moves with the weighted labour force)".into(),
            );
        }
        let ed = &self.education;
        if ed.age_tertiary <= ed.age_secondary {
            problem(
                "education.age_tertiary".into(),
                format!(
                    "= {}: expected an age above education.age_secondary = {}",
                    ed.age_tertiary, ed.age_secondary
                ),
            );
        }
        let regions: Vec<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
        for (i, stream) in self.immigration.iter().enumerate() {
            let k = format!("immigration[{i}]");
            if (stream.education.iter().sum::<f64>() - 1.0).abs() > 1e-6 {
                problem(
                    format!("{k}.education"),
                    "expected shares low + medium + high = 1".into(),
                );
            }
            if let Some(shares) = &stream.regions {
                for name in shares.0.keys().filter(|n| !regions.contains(&n.as_str())) {
                    problem(
                        format!("{k}.regions.{name}"),
                        format!("unknown region; expected one of {}", regions.join(", ")),
                    );
                }
                if (shares.0.values().sum::<f64>() - 1.0).abs() > 1e-6 {
                    problem(format!("{k}.regions"), "expected region shares summing to 1".into());
                }
            }
        }
        let length = f64::from(self.end_year - self.start_year);
        for p in &self.policies {
            let (k, t) = (format!("policies.{}", p.name), p.timing);
            if let Some(e) = t.end
                && e < t.start
            {
                problem(
                    format!("{k}.end"),
                    format!("= {e}: expected a year at or after the policy's start ({})", t.start),
                );
            }
            if t.ramp_years > length {
                problem(
                    format!("{k}.ramp_years"),
                    format!(
                        "= {}: expected years in [0, {length}], the scenario's horizon {}-{}",
                        t.ramp_years, self.start_year, self.end_year
                    ),
                );
            }
        }
        for (i, s) in self.shocks.iter().enumerate() {
            if !(self.start_year..self.end_year).contains(&s.year) {
                problem(
                    format!("shocks[{i}].year"),
                    format!(
                        "= {}: expected a year in [{}, {}], within the projection",
                        s.year,
                        self.start_year,
                        self.end_year - 1
                    ),
                );
            }
        }
        out
    }
}
