/**
 * The `--max-cost` guard. Parallel expert calls each reserve their conservative estimate before
 * they start; a reservation counts against the limit until the call commits its real cost, so N
 * calls fired at once can never overshoot together.
 */
import { UserError, formatUsd, usdDigits } from '../core/index.ts';
import { promptChars, type CompletionRequest } from './port.ts';
import { estimateCostUsd, hasPrice, type PriceTable } from './prices.ts';

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

/**
 * Runs one provider call under the `--max-cost` guard, the same way in every adapter: reserves the
 * call's conservative estimate (0 for an unpriced model), and commits what `call` charged (0 when it
 * failed before being billed) when it settles.
 * @throws UserError `E_BUDGET` before anything is spent when a ceiling is set and the model has no
 *   price (the cap could not be enforced), or when the estimate would exceed the ceiling.
 */
export async function withBudget<T>(
  req: CompletionRequest,
  opts: { prices: PriceTable; budget?: Budget | undefined },
  call: (charge: (usd: number) => void) => Promise<T>,
): Promise<T> {
  const { budget, prices } = opts;
  const priced = hasPrice(req.model, prices);
  if (!priced && budget && budget.maxUsd !== null) {
    throw new UserError('E_BUDGET', `--max-cost cannot be enforced: model "${req.model}" has no price in the table of ${prices.asOf}`, { expected: 'no --max-cost, or a model listed in src/llm/prices.json' });
  }
  const estimate = budget && priced ? estimateCostUsd(req.model, promptChars(req), req.maxTokens, prices) : 0;
  budget?.reserve(estimate);
  let spent = 0;
  try {
    return await call((usd) => (spent = usd));
  } finally {
    budget?.commit(spent, estimate);
  }
}
