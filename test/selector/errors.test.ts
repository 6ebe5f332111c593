import { inspect, types } from 'util';
import { SelectorParseError } from '../../src/selector/errors';

describe('SelectorParseError', () => {
  const error = new SelectorParseError('a = "b"', 2, "expected '=='");

  test('is an Error and a SelectorParseError', () => {
    expect(error).toBeInstanceOf(SelectorParseError);
    expect(error).toBeInstanceOf(Error);
    expect(types.isNativeError(error)).toBe(true);
    expect(Object.prototype.toString.call(error)).toBe('[object Error]');
  });

  test('its details are read-only', () => {
    expect(() => {
      (error as { position: number }).position = 9;
    }).toThrow(TypeError);
    expect(error.position).toBe(2);
  });

  test('prints like an error (uncaught errors, console.log)', () => {
    expect(inspect(error).split('\n')[0]).toBe(`SelectorParseError: ${error.message}`);
  });

  test('names the selector, the position and the problem', () => {
    expect(error.name).toBe('SelectorParseError');
    expect(error.selector).toBe('a = "b"');
    expect(error.position).toBe(2);
    expect(error.detail).toBe("expected '=='");
    expect(error.message).toBe('Invalid Calico selector "a = \\"b\\"": at position 2: expected \'==\'');
    expect(error.toString()).toBe(`SelectorParseError: ${error.message}`);
    expect(String(error)).toBe(`SelectorParseError: ${error.message}`);
  });

  test('shows control characters of the selector escaped', () => {
    expect(new SelectorParseError('a\nb', 1, 'x').message).toBe('Invalid Calico selector "a\\nb": at position 1: x');
  });

  test('carries a stack trace', () => {
    expect(typeof error.stack).toBe('string');
    expect(error.stack).toContain('SelectorParseError: Invalid Calico selector');
  });

  test('works with throw/catch and test matchers', () => {
    const fn = () => {
      throw new SelectorParseError('x', 1, 'unexpected end');
    };
    expect(fn).toThrow(SelectorParseError);
    expect(fn).toThrow(Error);
    expect(fn).toThrow('Invalid Calico selector "x": at position 1: unexpected end');
    expect(fn).toThrow(/at position 1/);
  });
});

describe('SelectorParseError of a long selector', () => {
  const selector = `${'has(a) && '.repeat(100)}a = "b"${' && has(c)'.repeat(100)}`;
  const position = 'has(a) && '.repeat(100).length + 2;
  const error = new SelectorParseError(selector, position, "expected '=='");

  test('shows the length and an excerpt around the position instead of the whole selector', () => {
    const before = selector.slice(position - 60, position);
    const after = selector.slice(position, position + 60);
    expect(error.message).toBe(
      `Invalid Calico selector of ${selector.length} characters, near ${JSON.stringify(`…${before}${after}…`)}: ` +
      `at position ${position}: expected '=='`,
    );
    expect(error.selector).toBe(selector);
  });

  test('the excerpt is not cut at an end of the selector', () => {
    const long = 'x'.repeat(300);
    expect(new SelectorParseError(long, 0, 'd').message).toBe(
      `Invalid Calico selector of 300 characters, near "${'x'.repeat(60)}…": at position 0: d`,
    );
    expect(new SelectorParseError(long, 300, 'd').message).toBe(
      `Invalid Calico selector of 300 characters, near "…${'x'.repeat(60)}": at position 300: d`,
    );
  });

  test('selectors of up to 200 characters are quoted whole', () => {
    const text = 'y'.repeat(200);
    expect(new SelectorParseError(text, 5, 'd').message).toBe(`Invalid Calico selector "${text}": at position 5: d`);
  });
});
