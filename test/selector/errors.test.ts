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
