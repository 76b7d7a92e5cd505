/** USD amounts shown to the user at the precision the user chose for the budget. */

/** Decimal places needed to show `budgetUsd` exactly: at least 2 (cents), at most 6. */
export function usdDigits(budgetUsd: number | null | undefined): number {
  if (budgetUsd === null || budgetUsd === undefined || !Number.isFinite(budgetUsd)) return 2;
  for (let d = 2; d < 6; d++) if (Math.abs(Number(budgetUsd.toFixed(d)) - budgetUsd) < 1e-12) return d;
  return 6;
}

/** `formatUsd(0.005, 3)` → `$0.005`. `digits` defaults to cents. */
export function formatUsd(amount: number, digits = 2): string {
  return `$${amount.toFixed(digits)}`;
}
