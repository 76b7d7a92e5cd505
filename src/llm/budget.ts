/**
 * The `--max-cost` guard. Each call reserves what it is expected to cost before it starts (see
 * {@link CallEstimator}: this dialogue's observed output and the known input, priced as the cache
 * will bill it); a reservation counts against the limit until the call commits its real cost,
 * attempts that were billed and then retried included. A budget therefore stops within about one
 * call's cost of its ceiling; a call that costs more than expected is recorded as is.
 */
import { UserError, formatUsd, usdDigits } from '../core/index.ts';
import { CallEstimator } from './call-estimate.ts';
import type { CompletionRequest, CompletionResult } from './port.ts';
import { hasPrice, type PriceTable } from './prices.ts';
import { billedAttemptsOf } from './retry-loop.ts';

/** Formats USD rounded up at `digits` places, so an estimate is never understated. */
function usdUp(amount: number, digits: number): string {
  const scale = 10 ** digits;
  return formatUsd(Math.ceil(amount * scale - 1e-9) / scale, digits);
}

/** Spend tracker with an optional USD ceiling. All amounts are USD. */
export class Budget {
  readonly maxUsd: number | null;
  /** What this run's calls taught about output lengths and cached prefixes. */
  readonly estimator = new CallEstimator();
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
 * call's expected cost ({@link CallEstimator.estimate}; 0 for an unpriced model), and commits the
 * sum of everything `call` charged (each billed attempt, retried ones included; 0 when nothing was
 * billed) when it settles.
 * @throws UserError `E_BUDGET` before anything is spent when a ceiling is set and the model has no
 *   price (the cap could not be enforced), or when the estimate would exceed the ceiling.
 */
export async function withBudget<T extends CompletionResult>(
  req: CompletionRequest,
  opts: { prices: PriceTable; budget?: Budget | undefined },
  call: (charge: (usd: number) => void) => Promise<T>,
): Promise<T> {
  const { budget, prices } = opts;
  const priced = hasPrice(req.model, prices);
  if (!priced && budget && budget.maxUsd !== null) {
    throw new UserError('E_BUDGET', `--max-cost cannot be enforced: model "${req.model}" has no price in the table of ${prices.asOf}`, { expected: 'no --max-cost, or a model listed in src/llm/prices.json' });
  }
  const estimate = budget && priced ? budget.estimator.estimate(req, prices).usd : 0;
  budget?.reserve(estimate);
  budget?.estimator.start(req);
  let spent = 0;
  let result: T | undefined;
  let failure: unknown;
  try {
    result = await call((usd) => (spent += usd));
    return result;
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    budget?.estimator.settle(req, result?.usage ?? billedAttemptsOf(failure).at(-1)?.usage, result !== undefined);
    budget?.commit(spent, estimate);
  }
}
