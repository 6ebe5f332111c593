/**
 * Thrown by `Selector.parse()` when a string is not a valid Calico selector.
 *
 * The message names the selector, the 0-based position (a character offset
 * into the selector string) and what was expected there, for example:
 * `Invalid Calico selector "app = 'x'": at position 4: expected '==' …`.
 * A selector longer than 200 characters is shown as its length and an
 * excerpt around the position (`selector` keeps the whole text):
 * `Invalid Calico selector of 20512 characters, near "…": at position 20500: …`.
 *
 * Instances are native `Error` objects, `instanceof Error` and
 * `instanceof SelectorParseError`. (The class is declared without
 * `extends Error` because jsii cannot expose the built-in `Error` as a base
 * class; the constructor returns a native error whose prototype chain is
 * SelectorParseError.prototype → Error.prototype instead.)
 */
export class SelectorParseError {
  /** Always `"SelectorParseError"`. */
  public readonly name!: string;

  /** The full, human-readable description of the problem. */
  public readonly message!: string;

  /** The selector string that failed to parse. */
  public readonly selector!: string;

  /** 0-based character offset in `selector` where the problem was found. */
  public readonly position!: number;

  /** What was wrong at `position` and what would be right (the end of `message`). */
  public readonly detail!: string;

  /** Stack trace captured when the error was created. */
  public readonly stack?: string;

  /**
   * @param selector the selector string that failed to parse
   * @param position 0-based character offset of the problem
   * @param detail what was wrong there and what was expected
   */
  constructor(selector: string, position: number, detail: string) {
    // The instance is a native Error (so runtimes, loggers and test runners
    // treat it as one) whose prototype is SelectorParseError.prototype.
    const error = new Error(`Invalid Calico selector ${describe(selector, position)}: at position ${position}: ${detail}`);
    Object.setPrototypeOf(error, new.target.prototype);
    Object.defineProperties(error, {
      name: { value: 'SelectorParseError', enumerable: false, writable: true, configurable: true },
      selector: { value: selector, enumerable: true },
      position: { value: position, enumerable: true },
      detail: { value: detail, enumerable: true },
    });
    Error.captureStackTrace(error, new.target);
    return error as unknown as SelectorParseError;
  }

  /** The error as `name: message`. */
  public toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

/** Selectors up to this length are quoted whole in messages. */
const QUOTED_LENGTH = 200;
/** Characters shown on each side of the position in the excerpt of a longer selector. */
const EXCERPT_SIDE = 60;

function describe(selector: string, position: number): string {
  if (typeof selector !== 'string' || selector.length <= QUOTED_LENGTH) {
    return JSON.stringify(selector);
  }
  const start = Math.max(0, position - EXCERPT_SIDE);
  const end = Math.min(selector.length, position + EXCERPT_SIDE);
  const excerpt = `${start > 0 ? '…' : ''}${selector.slice(start, end)}${end < selector.length ? '…' : ''}`;
  return `of ${selector.length} characters, near ${JSON.stringify(excerpt)}`;
}

// Make SelectorParseError.prototype inherit from Error.prototype, so that
// `instanceof Error` holds, without declaring the built-in base class.
Object.setPrototypeOf(SelectorParseError.prototype, Error.prototype);
