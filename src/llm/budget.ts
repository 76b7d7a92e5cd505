/**
 * The `--max-cost` guard. Parallel expert calls each reserve their conservative estimate before
 * they start; a reservation counts against the limit until the call commits its real cost, so N
 * calls fired at once can never overshoot together.
 */
import { UserError, formatUsd, usdDigits } from '../core/index.ts';

/** Formats USD rounded up at `digits` places, so an estimate is never understated. */
function usdUp(amount: number, digits: number): string {
  const scale = 10 ** digits;
  return formatUsd(Math.ceil(amount * scale - 1e-9) / scale, digits);
}

/** Spend tracker with an optional USD ceiling. All amounts are USD. */
export class Budget {
  readonly maxUsd: number | null;
  #spent: number;
  #reserved = 0;

  /**
   * @param maxUsd ceiling in USD, or `null` for no limit (spend is still tracked).
   * @param spentUsd already spent (a resumed dialogue).
   */
  constructor(maxUsd: number | null, spentUsd = 0) {
    this.maxUsd = maxUsd;
    this.#spent = spentUsd;
  }

  /** Committed spend in USD. */
  get spentUsd(): number {
    return this.#spent;
  }

  /** Sum of outstanding reservations in USD. */
  get reservedUsd(): number {
    return this.#reserved;
  }

  /**
   * Claims `estimateUsd` for a call about to start.
   * @throws UserError `E_BUDGET` ("next call would exceed --max-cost $2.00 (spent $1.93, next ≤ $0.12)")
   *   when spent + outstanding reservations + estimate is above the ceiling; nothing is reserved then.
   */
  reserve(estimateUsd: number): void {
    if (this.maxUsd !== null && this.#spent + this.#reserved + estimateUsd > this.maxUsd) {
      // Amounts at the precision of the budget: `--max-cost 0.005` is never shown as $0.01.
      const digits = usdDigits(this.maxUsd);
      const usd = (amount: number) => formatUsd(amount, digits);
      const inFlight = this.#reserved > 0 ? `, in flight ${usd(this.#reserved)}` : '';
      throw new UserError(
        'E_BUDGET',
        `next call would exceed --max-cost ${usd(this.maxUsd)} (spent ${usd(this.#spent)}${inFlight}, next ≤ ${usdUp(estimateUsd, digits)})`,
      );
    }
    this.#reserved += estimateUsd;
  }

  /**
   * Releases a reservation and records what the call really cost (0 for a call that failed
   * before being billed). Actual cost may exceed the reservation; it is recorded as is.
   */
  commit(actualUsd: number, reservedUsd: number): void {
    this.#reserved = Math.max(0, this.#reserved - reservedUsd);
    this.#spent += actualUsd;
  }
}
